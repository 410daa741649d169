using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OpsNodesAndRunTraces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastRecoveredAt",
                table: "WorkflowExecutions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TraceParent",
                table: "WorkflowExecutions",
                type: "TEXT",
                maxLength: 55,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Nodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    HeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    WorkerCount = table.Column<int>(type: "INTEGER", nullable: false),
                    BusyWorkers = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Nodes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowExecutions_LastRecoveredAt",
                table: "WorkflowExecutions",
                column: "LastRecoveredAt",
                filter: "\"LastRecoveredAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Nodes");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowExecutions_LastRecoveredAt",
                table: "WorkflowExecutions");

            migrationBuilder.DropColumn(
                name: "LastRecoveredAt",
                table: "WorkflowExecutions");

            migrationBuilder.DropColumn(
                name: "TraceParent",
                table: "WorkflowExecutions");
        }
    }
}
