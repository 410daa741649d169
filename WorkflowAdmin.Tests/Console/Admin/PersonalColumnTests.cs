using Bunit;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Features.Provisioning;

namespace WorkflowAdmin.Tests.Console.Admin;

/// <summary>
/// The email columns of the provisioned-record lists are personal (decision 0042): a masked chip on screen, <c>[masked]</c>
/// in exports and cell text, not sortable; a missing value stays empty, and the other columns are as they were.
/// </summary>
public sealed class PersonalColumnTests : IAsyncDisposable
{
    private static readonly DateTime Created = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private readonly BunitContext context = new();

    [Fact]
    public void A_customer_admins_email_is_masked_on_screen_in_the_export_and_in_its_text_and_cannot_be_sorted()
    {
        var admin = new CustomerAdminsAdmin();
        var row = new CustomerAdminRow { Id = Guid.NewGuid(), Email = "ann@northwind.example", Customer = "Northwind", CustomerSlug = "northwind", CreatedAt = Created };
        var email = admin.Columns.Single(c => c.Title == "Email");

        var cell = context.Render(email.RenderCell(row, Created));

        Assert.Equal("masked", cell.Find("[data-testid=masked-value]").TextContent);
        Assert.DoesNotContain("ann@", cell.Markup, StringComparison.Ordinal);
        Assert.Equal("[masked]", email.ExportValue(row));
        Assert.Equal("[masked]", email.Text(row));
        Assert.True(email.IsPersonal);
        Assert.DoesNotContain("email", admin.SortKeys);
        Assert.Equal("Northwind", admin.Columns.Single(c => c.Title == "Customer").ExportValue(row));
    }

    [Fact]
    public void A_pending_invites_email_is_masked_and_every_other_registry_column_is_not_personal()
    {
        var invites = new PendingInvitesAdmin();
        var row = new PendingInviteRow { Id = Guid.NewGuid(), Email = "bob@northwind.example", Role = "learner", Customer = "Northwind", CreatedAt = Created };

        Assert.Equal("[masked]", invites.Columns.Single(c => c.Title == "Email").ExportValue(row));
        Assert.Equal(["Email"], invites.Columns.Where(c => c.IsPersonal).Select(c => c.Title));
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
