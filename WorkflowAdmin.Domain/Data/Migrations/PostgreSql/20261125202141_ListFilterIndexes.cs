using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ListFilterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_TriggeredBy_CreatedAt",
                table: "WorkflowExecutions",
                columns: new[] { "TriggeredBy", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_TriggerSource_CreatedAt",
                table: "WorkflowExecutions",
                columns: new[] { "TriggerSource", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_TriggeredBy_CreatedAt",
                table: "WorkflowExecutions");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_TriggerSource_CreatedAt",
                table: "WorkflowExecutions");
        }
    }
}
