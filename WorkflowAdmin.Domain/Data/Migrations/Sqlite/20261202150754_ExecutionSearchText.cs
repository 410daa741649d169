using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // Hand-written (decision 0029): the searchable text of the executions that exist, as WorkflowExecution
            // writes it (business key, customer name from the input, error message; lower case, one per line).
            migrationBuilder.Sql("""
                UPDATE "WorkflowExecutions" SET "SearchText" = lower(concat_ws(char(10),
                    nullif(trim("BusinessKey"), ''),
                    nullif(trim(json_extract("InputJson", '$."create-customer".name')), ''),
                    nullif(trim("ErrorMessage"), '')));
                """);

            // An FTS5 index with the trigram tokenizer finds any substring of three characters or more, ignoring
            // case. It is an external-content table (the text stays only in WorkflowExecutions), keyed by the
            // executions' rowid and kept current by the triggers below, whoever writes the row (EF, the seed's bulk
            // inserts, a DBA). A migration that rebuilds WorkflowExecutions (EF does for some column changes on
            // SQLite) drops these triggers and renumbers rowids: it must recreate them and run 'rebuild'.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "WorkflowExecutionSearch" USING fts5(
                    "Id" UNINDEXED, "SearchText", content = 'WorkflowExecutions', content_rowid = 'rowid', tokenize = 'trigram');
                """);
            migrationBuilder.Sql("""INSERT INTO "WorkflowExecutionSearch"("WorkflowExecutionSearch") VALUES ('rebuild');""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "WorkflowExecutions_Search_AfterInsert" AFTER INSERT ON "WorkflowExecutions" BEGIN
                    INSERT INTO "WorkflowExecutionSearch"(rowid, "Id", "SearchText") VALUES (new.rowid, new."Id", new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "WorkflowExecutions_Search_AfterDelete" AFTER DELETE ON "WorkflowExecutions" BEGIN
                    INSERT INTO "WorkflowExecutionSearch"("WorkflowExecutionSearch", rowid, "Id", "SearchText")
                    VALUES ('delete', old.rowid, old."Id", old."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "WorkflowExecutions_Search_AfterUpdate" AFTER UPDATE OF "SearchText" ON "WorkflowExecutions" BEGIN
                    INSERT INTO "WorkflowExecutionSearch"("WorkflowExecutionSearch", rowid, "Id", "SearchText")
                    VALUES ('delete', old.rowid, old."Id", old."SearchText");
                    INSERT INTO "WorkflowExecutionSearch"(rowid, "Id", "SearchText") VALUES (new.rowid, new."Id", new."SearchText");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Hand-written (decision 0029).
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "WorkflowExecutions_Search_AfterUpdate";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "WorkflowExecutions_Search_AfterDelete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "WorkflowExecutions_Search_AfterInsert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "WorkflowExecutionSearch";""");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "WorkflowExecutions");
        }
    }
}
