using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.Operations.Releases;

/// <summary>A switch of services to a release: which services (none: the release default), the commit or tag, how to get images, deploy or rollback.</summary>
public sealed record ReleaseSwitchRequest(
    OperationHeader Header,
    IReadOnlyList<string> Services,
    string Commit,
    bool ForceBuild = false,
    bool NoCache = false,
    string Kind = "",
    int VerifyTimeoutSeconds = 0);
