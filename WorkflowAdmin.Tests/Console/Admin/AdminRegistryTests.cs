using System.Security.Claims;
using WorkflowAdmin.Admin;
using WorkflowAdmin.Domain.Data;
using WorkflowAdmin.Domain.Identity;
using WorkflowAdmin.Features.Provisioning;
using WorkflowAdmin.Features.Users;

namespace WorkflowAdmin.Tests.Console.Admin;

public sealed class AdminRegistryTests
{
    [Fact]
    public void Two_admins_with_one_slug_are_refused_when_the_registry_is_built()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new AdminRegistry([new CustomersAdmin(), new OtherCustomersAdmin()]));

        Assert.Contains("'customers'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_sees_the_lists_their_role_may_read()
    {
        var registry = new AdminRegistry([new CustomersAdmin(), new UsersAdmin()]);

        Assert.Equal(["customers"], registry.VisibleTo(UserIn(Roles.Support)).Select(a => a.Slug));
        Assert.Equal(["customers", "users"], registry.VisibleTo(UserIn(Roles.Admin)).Select(a => a.Slug));
        Assert.Empty(registry.VisibleTo(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.True(new UsersAdmin().CanCreate(UserIn(Roles.Admin)));
        Assert.False(new UsersAdmin().CanCreate(UserIn(Roles.Auditor)));
    }

    [Fact]
    public void An_admin_naming_an_unknown_role_or_reusing_a_url_parameter_fails_when_built()
    {
        Assert.Throws<ArgumentException>(() => new MisspelledRoleAdmin());
        Assert.Throws<InvalidOperationException>(() => new ClashingFilterAdmin());
        Assert.Throws<ArgumentException>(() => new BadSlugAdmin());
    }

    private static ClaimsPrincipal UserIn(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), new Claim(ClaimTypes.Role, role)], "test"));

    private sealed record Row
    {
        public required string Name { get; init; }
    }

    private abstract class TestAdmin(string title, string slug) : EntityAdmin<Row>(title, slug)
    {
        public override IQueryable<Row> Query(AppDbContext db) => Enumerable.Empty<Row>().AsQueryable();
    }

    private sealed class OtherCustomersAdmin() : TestAdmin("Other customers", "customers");

    private sealed class MisspelledRoleAdmin : TestAdmin
    {
        public MisspelledRoleAdmin()
            : base("Misspelled", "misspelled") => Roles = "Suport";
    }

    private sealed class ClashingFilterAdmin : TestAdmin
    {
        public ClashingFilterAdmin()
            : base("Clashing", "clashing") => FilterByText("Search", r => r.Name, "q");
    }

    private sealed class BadSlugAdmin() : TestAdmin("Bad", "Bad Slug");
}
