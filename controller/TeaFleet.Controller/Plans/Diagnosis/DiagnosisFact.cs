namespace TeaFleet.Controller.Plans;

/// <summary>
/// One observation with its evidence: the host it was read on, its kind (service, service-down, health-url,
/// log-errors, migration, leftovers, operation-failed, queue, traffic, unreachable) and whether it is a problem.
/// </summary>
public sealed record DiagnosisFact(string Host, string Kind, string Evidence, bool Problem);
