using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.PostgreSql
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
                type: "text",
                nullable: false,
                defaultValue: "");

            // Hand-written (decision 0029): the searchable text of the executions that exist, as WorkflowExecution
            // writes it (business key, customer name from the input, error message; lower case, one per line).
            migrationBuilder.Sql("""
                UPDATE "WorkflowExecutions" SET "SearchText" = lower(concat_ws(E'\n',
                    NULLIF(btrim("BusinessKey"), ''),
                    NULLIF(btrim(("InputJson"::jsonb) -> 'create-customer' ->> 'name'), ''),
                    NULLIF(btrim("ErrorMessage"), '')));
                """);

            // A trigram GIN index serves LIKE '%term%' for any term of three characters or more, wherever it occurs
            // in the text. pg_trgm is a trusted extension: the database's owner may create it without superuser.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("""
                CREATE INDEX "IX_WorkflowExecutions_SearchText_Trigram" ON "WorkflowExecutions" USING gin ("SearchText" gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written (decision 0029); the extension stays, other objects may use it.
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_WorkflowExecutions_SearchText_Trigram";""");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "WorkflowExecutions");
        }
    }
}
