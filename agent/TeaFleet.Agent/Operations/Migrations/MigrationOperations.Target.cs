using TeaFleet.Agent.Adapters;
using TeaFleet.Agent.Model;
using TeaFleet.Shared;

namespace TeaFleet.Agent.Operations.Migrations;

/// <summary>
/// An upgrade with a release that is not live (UpgradeMigrationsRequest.commit): a deploy's target,
/// migrated after the full backup and before its switch (Agent:Migrations:RunOnDeploy). Its scripts
/// and image are the target's; the checkout stays at the live release.
/// </summary>
public sealed partial class MigrationOperations
{
    /// <summary>The release a caller names (commit or tag) as a full commit; refused when this host's checkout does not have it.</summary>
    private async Task<string> ResolveReleaseAsync(string reference, CancellationToken ct) =>
        await finder.ResolveAsync(reference, ct)
        ?? throw AgentException.NotFound(
            $"the app checkout on {Options.HostName} has no commit or tag '{reference}'; fetch the code first or check the name, then run the upgrade again (nothing was started)");

    /// <summary>
    /// The release's code at the start of the run, with its image on the host: built from the commit's
    /// own files when it is missing and the migrations' service has a build there (step "image"); when
    /// it cannot be built, the run fails saying to pull or load it.
    /// </summary>
    private async Task<LiveCode> ReleaseForRunAsync(OperationContext context, string commit)
    {
        var ct = context.CancellationToken;
        var service = Options.Migrations.Service;
        var code = await finder.CodeAsync(commit, ct);
        if (!code.ImagePresent)
        {
            code = await context.StepAsync("image", $"build {code.Image} ({service} at {GitRefs.Short(commit)}): {Options.HostName} does not have it", async () =>
            {
                if ((await compose.ServicesAtAsync(commit, ct)).Find(service) is not { HasBuild: true })
                {
                    throw new InvalidOperationException(
                        $"image {code.Image} of {service} at {GitRefs.Short(commit)} is not on {Options.HostName} and {service} has no build: at that release; pull or load it (docker pull {code.Image}), then run the upgrade again");
                }

                context.Log("image", $"building {service} at {GitRefs.Short(commit)} from the commit's own files (the checkout stays at the live release)");
                await compose.BuildAtAsync(commit, [service], noCache: false, line => context.Log("image", line), ct);
                var built = await finder.CodeAsync(commit, ct);
                if (!built.ImagePresent)
                {
                    throw new InvalidOperationException(
                        $"the build of {service} at {GitRefs.Short(commit)} finished but image {built.Image} is not on {Options.HostName}: its compose image: must name what the build tags");
                }

                return (built, $"built {built.Image}");
            });
        }

        context.Log("alembic", $"the release {GitRefs.Short(commit)} ({code.Image}), not the live one; its heads: {string.Join(", ", code.Graph.Heads)}");
        return code;
    }
}
