using TeaFleet.Controller.Inventory;

namespace TeaFleet.Controller.Tests;

/// <summary>The inventory's 'roles:': which services play the runbook's backend, frontend and worker.</summary>
public sealed class ServiceRolesTests
{
    private const string Kiosk = """
        app: kiosk
        roles: { backend: [api], frontend: admin }
        environments:
          staging:
            hosts:
              - name: kiosk-1
                address: http://127.0.0.1:7443
          production:
            roles:
              worker: [worker, scheduler]
            hosts:
              - name: kiosk-prod-1
                address: http://127.0.0.1:7444
        """;

    [Fact]
    public void Without_roles_each_role_is_the_service_of_its_name()
    {
        using var dir = new TempDirectory();
        var inventory = InventoryLoader.Load(dir.File("teafleet.yaml", Samples.Inventory));

        var roles = inventory.FindEnvironment("production")!.Roles;

        Assert.Equal(["backend"], roles.Backend);
        Assert.Equal(["frontend"], roles.Frontend);
        Assert.Equal(["worker"], roles.Worker);
        Assert.Empty(roles.Configured);
    }

    [Fact]
    public void Top_roles_apply_to_every_environment_and_an_environment_overrides_only_the_roles_it_names()
    {
        using var dir = new TempDirectory();
        var inventory = InventoryLoader.Load(dir.File("teafleet.yaml", Kiosk));

        var staging = inventory.FindEnvironment("staging")!.Roles;
        var production = inventory.FindEnvironment("production")!.Roles;

        Assert.Equal(["api"], staging.Backend);
        Assert.Equal(["admin"], staging.Frontend);
        Assert.Equal(["worker"], staging.Worker);
        Assert.Equal(["api"], production.Backend);
        Assert.Equal(["admin"], production.Frontend);
        Assert.Equal(["worker", "scheduler"], production.Worker);
        Assert.Contains("worker", production.Configured);
        Assert.DoesNotContain("worker", staging.Configured);
    }

    [Theory]
    [InlineData("roles: { backend: [api], frontend: admin }", "roles: { backnd: [api] }", "unknown key 'backnd' in roles. Did you mean 'backend:'?")]
    [InlineData("roles: { backend: [api], frontend: admin }", "roles: { backend: [] }", "'backend' in roles is an empty list")]
    [InlineData("roles: { backend: [api], frontend: admin }", "roles: { backend: [Api_1] }", "'Api_1' in 'backend' of roles is not a service name")]
    [InlineData("roles: { backend: [api], frontend: admin }", "roles: [api]", "roles must be a mapping such as")]
    [InlineData("worker: [worker, scheduler]", "worker: { name: worker }", "'worker' in environment 'production' roles must be a service name or a list of them")]
    public void A_bad_roles_value_names_the_file_and_the_key(string find, string replace, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.File("teafleet.yaml", Kiosk.Replace(find, replace, StringComparison.Ordinal));

        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Load(path));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
