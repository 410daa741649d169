using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.SqlServer
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CreatedHour = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DefinitionKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Resolved = table.Column<bool>(type: "bit", nullable: false),
                    FailedStepKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ErrorType = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Delta = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExecutionCountDeltas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExecutionCounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CreatedHour = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DefinitionKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Resolved = table.Column<bool>(type: "bit", nullable: false),
                    FailedStepKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ErrorType = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
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
    SELECT DATEADD(hour, DATEDIFF(hour, '19000101', ""CreatedAt""), CAST('19000101' AS datetime2)) AS ""CreatedHour"", ""DefinitionKey"", ""Status"",
        CASE WHEN ""Status"" = 'Failed' AND ""ResolvedAt"" IS NOT NULL THEN CAST(1 AS bit) ELSE CAST(0 AS bit) END AS ""Resolved"",
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
