namespace TeaFleet.Agent.Tests;

/// <summary>
/// Tests that run the agent's Program in this process. They run one at a time: Program sets up
/// Serilog's static logger as it starts and closes it as it stops, so two starting at once would
/// share it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessAgentCollection : ICollectionFixture<MutualTlsAgentFixture>
{
    public const string Name = "in-process agent";
}
