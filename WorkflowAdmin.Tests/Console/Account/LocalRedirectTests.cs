using WorkflowAdmin.Account;

namespace WorkflowAdmin.Tests.Console.Account;

public sealed class LocalRedirectTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/executions?status=Failed", true)]
    [InlineData("/executions/0f8fad5b-d9cb-469f-a165-70867728950e?step=create-customer", true)]
    [InlineData("", false)]
    [InlineData("executions", false)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("\\\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("/\r\nSet-Cookie: x=y", false)]
    public void Only_paths_on_this_site_are_followed_after_sign_in(string target, bool followed) =>
        Assert.Equal(followed, IdentityRedirectManager.IsLocal(target));
}
