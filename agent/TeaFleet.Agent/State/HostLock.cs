using TeaFleet.Agent.Model;

namespace TeaFleet.Agent.State;

/// <summary>
/// One mutating operation per host at a time. Held in memory: a crash ends the process that held it,
/// and the operation journal then reports that operation as interrupted.
/// </summary>
public sealed class HostLock(TimeProvider time)
{
    private readonly Lock _gate = new();
    private LockInfo? _holder;

    public bool TryAcquire(string operationId, string kind, string holder, out LockInfo current)
    {
        lock (_gate)
        {
            if (_holder is not null)
            {
                current = _holder;
                return false;
            }

            _holder = new LockInfo(true, operationId, kind, holder, time.GetUtcNow());
            current = _holder;
            return true;
        }
    }

    public void Release(string operationId)
    {
        lock (_gate)
        {
            if (_holder?.OperationId == operationId)
            {
                _holder = null;
            }
        }
    }

    public LockInfo Snapshot()
    {
        lock (_gate)
        {
            return _holder ?? LockInfo.Free;
        }
    }
}
