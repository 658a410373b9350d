using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Agents;

/// <summary>Makes what a command asks the agents before it runs: the planning reader and the lease calls (the real agents; tests register their own).</summary>
public interface IFleetReaderFactory
{
    IFleetReader Create(AgentPool agents);

    ILeaseCalls Leases(AgentPool agents);
}
