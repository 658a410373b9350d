using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.V1;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// The deploy's own migration step as the agent serves it: Agent:Migrations:RunOnDeploy, and an upgrade
/// naming a release (commit or tag) the checkout does not have, refused before anything starts. The real
/// agent (its Program) on a host that runs migrations, with a real git checkout; nothing here reaches
/// PostgreSQL or Docker (an upgrade that runs needs both: the sandbox fleet's tests).
/// </summary>
[Collection(InProcessAgentCollection.Name)]
public sealed class MigrationUpgradeTargetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunOnDeploy_is_off_unless_set_and_binds_when_set()
    {
        await using (var agent = MigratingAgent())
        {
            Assert.True(await agent.StartAsync(), agent.StartErrors);
            Assert.False(agent.Services.GetRequiredService<IOptions<AgentOptions>>().Value.Migrations.RunOnDeploy);
        }

        await using (var agent = MigratingAgent())
        {
            agent.Settings["Agent:Migrations:RunOnDeploy"] = "true";
            Assert.True(await agent.StartAsync(), agent.StartErrors);
            Assert.True(agent.Services.GetRequiredService<IOptions<AgentOptions>>().Value.Migrations.RunOnDeploy);
        }
    }

    [Fact]
    public async Task RunOnDeploy_on_a_host_that_runs_no_migrations_is_refused_at_start_up()
    {
        await using var agent = InProcessAgent.Insecure();
        agent.Settings["Agent:Migrations:RunOnDeploy"] = "true";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(agent.StartAsync);

        Assert.False(agent.Started);
        Assert.Contains(error.Failures, f => f.StartsWith("Agent:Migrations:RunOnDeploy needs Agent:Migrations:Command", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_upgrade_with_a_commit_the_checkout_lacks_is_not_found_and_nothing_starts()
    {
        await using var agent = MigratingAgent();
        Assert.True(await agent.StartAsync(), agent.StartErrors);
        using var channel = agent.CreateChannel();
        var migrations = new Migrations.MigrationsClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = migrations.Upgrade(new UpgradeMigrationsRequest
            {
                Header = new OperationHeader { OperationId = "RUN.migrate.test-1", RequestedBy = "tester" },
                Commit = "v9.9.9",
            }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Ct);
            await call.ResponseStream.MoveNext(Ct);
        });

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("has no commit or tag 'v9.9.9'; fetch the code first", error.Status.Detail);
        Assert.Contains("nothing was started", error.Status.Detail);
        var listed = await new V1.Operations.OperationsClient(channel).ListAsync(new ListOperationsRequest(), deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: Ct);
        Assert.Empty(listed.Operations);
        Assert.False(listed.Lock?.Held ?? false);
        var journal = Path.Combine(agent.Settings["Agent:StateDir"], "operations");
        Assert.False(Directory.Exists(journal) && Directory.EnumerateFiles(journal).Any(), "the refused upgrade left a journal");
    }

    /// <summary>An agent configured to run migrations (its database never contacted), its checkout a real git repository tagged v1.</summary>
    private static InProcessAgent MigratingAgent()
    {
        var agent = InProcessAgent.Insecure();
        agent.Settings["Agent:App:MigrationsPath"] = "backend/alembic/versions";
        agent.Settings["Agent:Database:Name"] = "tea";
        agent.Settings["Agent:Database:User"] = "tea";
        agent.Settings["Agent:Migrations:Command:0"] = "alembic";
        var checkout = agent.Settings["Agent:App:CheckoutDir"];
        Directory.CreateDirectory(Path.Combine(checkout, "backend", "alembic", "versions"));
        File.WriteAllText(Path.Combine(checkout, "backend", "alembic", "versions", "0001_first.py"), "revision = \"0001\"\ndown_revision = None\n");
        File.WriteAllText(Path.Combine(checkout, "compose.yml"), "services:\n  backend:\n    image: tea-backend:${TEA_RELEASE}\n    build: ./backend\n");
        foreach (var args in new[]
        {
            new[] { "init", "-q", "-b", "main" },
            ["config", "user.email", "t@teafleet.invalid"],
            ["config", "user.name", "Test"],
            ["add", "."],
            ["commit", "-q", "-m", "release v1"],
            ["tag", "v1"],
        })
        {
            Git(checkout, args);
        }

        return agent;
    }

    private static void Git(string dir, string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
