using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Agents;

/// <summary>Makes the planning reader for a command (the real agents; tests register their own).</summary>
public interface IFleetReaderFactory
{
    IFleetReader Create(AgentPool agents);
}
