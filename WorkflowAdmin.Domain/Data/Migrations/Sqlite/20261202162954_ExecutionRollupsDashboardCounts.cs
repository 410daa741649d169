using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ExecutionRollupsDashboardCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExecutionCountDeltas",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedHour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DefinitionKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Resolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    FailedStepKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ErrorType = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Delta = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExecutionCountDeltas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExecutionCounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CreatedHour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DefinitionKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Resolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    FailedStepKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ErrorType = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExecutionCounts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExecutionCounts_CreatedHour_DefinitionKey_Status_Resolved_FailedStepKey_ErrorType",
                table: "ExecutionCounts",
                columns: new[] { "CreatedHour", "DefinitionKey", "Status", "Resolved", "FailedStepKey", "ErrorType" },
                unique: true);

            // Hand-written (decision 0027): counts every existing execution into the compact table, with the key
            // RollupKey.Of computes (UTC creation hour; step and error type for failures only), so the dashboard is
            // right from the first start after the upgrade. Deltas written from then on add to these counts.
            migrationBuilder.Sql(@"
INSERT INTO ""ExecutionCounts"" (""CreatedHour"", ""DefinitionKey"", ""Status"", ""Resolved"", ""FailedStepKey"", ""ErrorType"", ""Count"")
SELECT ""CreatedHour"", ""DefinitionKey"", ""Status"", ""Resolved"", ""FailedStepKey"", ""ErrorType"", COUNT(*) FROM (
    SELECT strftime('%Y-%m-%d %H:00:00', ""CreatedAt"") AS ""CreatedHour"", ""DefinitionKey"", ""Status"",
        (""Status"" = 'Failed' AND ""ResolvedAt"" IS NOT NULL) AS ""Resolved"",
        CASE WHEN ""Status"" = 'Failed' THEN COALESCE(""FailedStepKey"", '') ELSE '' END AS ""FailedStepKey"",
        CASE WHEN ""Status"" = 'Failed' THEN COALESCE(""ErrorType"", '') ELSE '' END AS ""ErrorType""
    FROM ""WorkflowExecutions"") AS e
GROUP BY ""CreatedHour"", ""DefinitionKey"", ""Status"", ""Resolved"", ""FailedStepKey"", ""ErrorType"";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExecutionCountDeltas");

            migrationBuilder.DropTable(
                name: "ExecutionCounts");
        }
    }
}
