using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class RerunDuplicateGuards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ExclusiveRerunOfId",
                table: "WorkflowExecutions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SubmitToken",
                table: "BulkReruns",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_ExclusiveRerunOfId_Live",
                table: "WorkflowExecutions",
                column: "ExclusiveRerunOfId",
                unique: true,
                filter: "\"ExclusiveRerunOfId\" IS NOT NULL AND \"Status\" IN ('Pending', 'Running', 'Succeeded')");

            migrationBuilder.CreateIndex(
                name: "IX_BulkReruns_SubmitToken",
                table: "BulkReruns",
                column: "SubmitToken",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_ExclusiveRerunOfId_Live",
                table: "WorkflowExecutions");

            migrationBuilder.DropIndex(
                name: "IX_BulkReruns_SubmitToken",
                table: "BulkReruns");

            migrationBuilder.DropColumn(
                name: "ExclusiveRerunOfId",
                table: "WorkflowExecutions");

            migrationBuilder.DropColumn(
                name: "SubmitToken",
                table: "BulkReruns");
        }
    }
}
