using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ExecutionSearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "WorkflowExecutions",
                type: "nvarchar(max)",
                nullable: false,
                defaultValue: "");

            // Hand-written (decision 0029): the searchable text of the executions that exist, as WorkflowExecution
            // writes it (business key, customer name from the input, error message; lower case, one per line). In
            // EXEC so that the idempotent script still compiles once a later migration changes these columns.
            // SQL Server gets no index on it: searches read the column (the decision says why not full-text).
            migrationBuilder.Sql("""
                EXEC(N'UPDATE [WorkflowExecutions] SET [SearchText] = LOWER(CONCAT_WS(CHAR(10),
                    NULLIF(TRIM([BusinessKey]), N''''),
                    NULLIF(TRIM(JSON_VALUE([InputJson], N''$."create-customer".name'')), N''''),
                    NULLIF(TRIM([ErrorMessage]), N'''')))');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "WorkflowExecutions");
        }
    }
}
