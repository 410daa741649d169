using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ResolvedByRerun : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ResolvedAt",
                table: "WorkflowExecutions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ResolvedByExecutionId",
                table: "WorkflowExecutions",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_Status_ResolvedAt_CreatedAt",
                table: "WorkflowExecutions",
                columns: new[] { "Status", "ResolvedAt", "CreatedAt" });

            // Backfill (decision 0025): a failure is resolved by the first succeeded re-run of its lineage created
            // after it, the same rule the runner applies from now on. The resolving time is that re-run's end.
            migrationBuilder.Sql("""
                UPDATE "WorkflowExecutions" SET "ResolvedByExecutionId" = (
                    SELECT r."Id" FROM "WorkflowExecutions" r
                    WHERE r."RootExecutionId" = COALESCE("WorkflowExecutions"."RootExecutionId", "WorkflowExecutions"."Id")
                      AND r."RerunOfId" IS NOT NULL AND r."Status" = 'Succeeded' AND r."Id" <> "WorkflowExecutions"."Id"
                      AND r."CreatedAt" >= "WorkflowExecutions"."CreatedAt"
                    ORDER BY r."FinishedAt", r."Id" LIMIT 1)
                WHERE "Status" = 'Failed' AND EXISTS (
                    SELECT 1 FROM "WorkflowExecutions" r
                    WHERE r."RootExecutionId" = COALESCE("WorkflowExecutions"."RootExecutionId", "WorkflowExecutions"."Id")
                      AND r."RerunOfId" IS NOT NULL AND r."Status" = 'Succeeded' AND r."Id" <> "WorkflowExecutions"."Id"
                      AND r."CreatedAt" >= "WorkflowExecutions"."CreatedAt")
                """);
            migrationBuilder.Sql("""
                UPDATE "WorkflowExecutions" SET "ResolvedAt" = (
                    SELECT r."FinishedAt" FROM "WorkflowExecutions" r WHERE r."Id" = "WorkflowExecutions"."ResolvedByExecutionId")
                WHERE "ResolvedByExecutionId" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_Status_ResolvedAt_CreatedAt",
                table: "WorkflowExecutions");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "WorkflowExecutions");

            migrationBuilder.DropColumn(
                name: "ResolvedByExecutionId",
                table: "WorkflowExecutions");
        }
    }
}
