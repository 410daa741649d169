using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class FailureGroupsAndFingerprints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Failures recorded before this migration get their fingerprints and groups from the `failures backfill`
            // command, not here: the normaliser is C# that no provider's SQL can repeat (decision 0028).
            migrationBuilder.AddColumn<string>(
                name: "FailureFingerprint",
                table: "WorkflowExecutions",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FailureGroups",
                columns: table => new
                {
                    Fingerprint = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    DefinitionKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    StepKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ErrorType = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    SampleMessage = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Count = table.Column<int>(type: "int", nullable: false),
                    UnresolvedCount = table.Column<int>(type: "int", nullable: false),
                    TriageState = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    TriageChangedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    TriageChangedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    OwnerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    OwnerName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Note = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    Link = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    ReopenedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ReopenCount = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FailureGroups", x => x.Fingerprint);
                });

            migrationBuilder.CreateTable(
                name: "FailureGroupDays",
                columns: table => new
                {
                    Fingerprint = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Day = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Count = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FailureGroupDays", x => new { x.Fingerprint, x.Day });
                    table.ForeignKey(
                        name: "FK_FailureGroupDays_FailureGroups_Fingerprint",
                        column: x => x.Fingerprint,
                        principalTable: "FailureGroups",
                        principalColumn: "Fingerprint",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_FailureFingerprint_CreatedAt",
                table: "WorkflowExecutions",
                columns: new[] { "FailureFingerprint", "CreatedAt", "Id" },
                filter: "\"FailureFingerprint\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_FailureFingerprint_ResolvedAt",
                table: "WorkflowExecutions",
                columns: new[] { "FailureFingerprint", "Status", "ResolvedAt", "CreatedAt" },
                filter: "\"FailureFingerprint\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FailureGroupDays_Day",
                table: "FailureGroupDays",
                column: "Day");

            migrationBuilder.CreateIndex(
                name: "IX_FailureGroups_LastSeenAt",
                table: "FailureGroups",
                column: "LastSeenAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FailureGroupDays");

            migrationBuilder.DropTable(
                name: "FailureGroups");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_FailureFingerprint_CreatedAt",
                table: "WorkflowExecutions");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_FailureFingerprint_ResolvedAt",
                table: "WorkflowExecutions");

            migrationBuilder.DropColumn(
                name: "FailureFingerprint",
                table: "WorkflowExecutions");
        }
    }
}
