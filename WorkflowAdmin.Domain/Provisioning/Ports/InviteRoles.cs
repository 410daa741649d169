namespace WorkflowAdmin.Domain.Provisioning.Ports;

public static class InviteRoles
{
    public const string Admin = "admin";

    public const string Learner = "learner";
}
