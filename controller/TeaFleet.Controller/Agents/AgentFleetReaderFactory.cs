using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Agents;

/// <summary>The default: planning reads go to the agents.</summary>
public sealed class AgentFleetReaderFactory : IFleetReaderFactory
{
    public IFleetReader Create(AgentPool agents) => new AgentFleetReader(agents);

    public ILeaseCalls Leases(AgentPool agents) => new AgentLeaseCalls(agents);
}
