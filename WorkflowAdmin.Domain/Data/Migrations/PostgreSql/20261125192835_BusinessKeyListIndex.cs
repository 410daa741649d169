using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class BusinessKeyListIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_BusinessKey",
                table: "WorkflowExecutions");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_BusinessKey_CreatedAt_Id",
                table: "WorkflowExecutions",
                columns: new[] { "BusinessKey", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_BusinessKey_CreatedAt_Id",
                table: "WorkflowExecutions");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_BusinessKey",
                table: "WorkflowExecutions",
                column: "BusinessKey");
        }
    }
}
