using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkflowAdmin.Domain.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class UniqueProvisioningKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SubscriptionPlans_AgreementId_SalesforceLineItem",
                table: "SubscriptionPlans");

            migrationBuilder.DropIndex(
                name: "IX_Catalogs_CustomerId_CatalogQueryId",
                table: "Catalogs");

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionPlans_AgreementId_SalesforceLineItem",
                table: "SubscriptionPlans",
                columns: new[] { "AgreementId", "SalesforceLineItem" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionPlans_NaturalKey_WithoutLineItem",
                table: "SubscriptionPlans",
                columns: new[] { "AgreementId", "ProductId", "StartDate", "Title" },
                unique: true,
                filter: "\"SalesforceLineItem\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Catalogs_CustomerId_CatalogQueryId",
                table: "Catalogs",
                columns: new[] { "CustomerId", "CatalogQueryId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SubscriptionPlans_AgreementId_SalesforceLineItem",
                table: "SubscriptionPlans");

            migrationBuilder.DropIndex(
                name: "IX_SubscriptionPlans_NaturalKey_WithoutLineItem",
                table: "SubscriptionPlans");

            migrationBuilder.DropIndex(
                name: "IX_Catalogs_CustomerId_CatalogQueryId",
                table: "Catalogs");

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionPlans_AgreementId_SalesforceLineItem",
                table: "SubscriptionPlans",
                columns: new[] { "AgreementId", "SalesforceLineItem" });

            migrationBuilder.CreateIndex(
                name: "IX_Catalogs_CustomerId_CatalogQueryId",
                table: "Catalogs",
                columns: new[] { "CustomerId", "CatalogQueryId" });
        }
    }
}
