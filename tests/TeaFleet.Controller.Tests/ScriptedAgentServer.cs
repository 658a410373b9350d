using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeaFleet.Agent.V1;

namespace TeaFleet.Controller.Tests;

/// <summary>
/// A scripted agent on loopback (plain HTTP/2, as the controller allows for 127.0.0.1): Operations.Get
/// answers from <see cref="States"/> (none: NotFound), Services.Recreate records the operation id and
/// streams <see cref="Streams"/>'s events for it. Only what the executor's re-attach needs.
/// </summary>
public sealed class ScriptedAgentServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedAgentServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; private set; }

    /// <summary>What Operations.Get answers per operation id; a list, so the answer can change between calls (first, second, ...; the last repeats).</summary>
    public ConcurrentDictionary<string, List<OperationState>> States { get; } = new(StringComparer.Ordinal);

    /// <summary>The events Services.Recreate streams per operation id.</summary>
    public ConcurrentDictionary<string, List<OperationEvent>> Streams { get; } = new(StringComparer.Ordinal);

    /// <summary>Every operation id Services.Recreate was called with, in order.</summary>
    public ConcurrentQueue<string> Recreates { get; } = new();

    /// <summary>Every operation id Operations.Get was asked about, in order.</summary>
    public ConcurrentQueue<string> Gets { get; } = new();

    public static async Task<ScriptedAgentServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var holder = new Holder();
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        app.MapGrpcService<FakeOperations>();
        app.MapGrpcService<FakeServices>();
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var server = new ScriptedAgentServer(app, address);
        holder.Server = server;
        return server;
    }

    public static OperationEvent Event(string operationId, long sequence, OperationPhase phase, string message, bool final = false) => new()
    {
        OperationId = operationId,
        Sequence = sequence,
        Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        Phase = phase,
        Message = message,
        Percent = -1,
        Host = "h1",
        Final = final,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed class Holder
    {
        public ScriptedAgentServer Server { get; set; } = null!;
    }

    private sealed class FakeOperations(Holder holder) : Operations.OperationsBase
    {
        public override Task<GetOperationResponse> Get(GetOperationRequest request, ServerCallContext context)
        {
            var server = holder.Server;
            server.Gets.Enqueue(request.OperationId);
            if (!server.States.TryGetValue(request.OperationId, out var states) || states.Count == 0)
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"host h1 has no operation {request.OperationId}"));
            }

            var state = states[0];
            if (states.Count > 1)
            {
                states.RemoveAt(0);
            }

            return Task.FromResult(new GetOperationResponse
            {
                Operation = new OperationInfo
                {
                    OperationId = request.OperationId,
                    Kind = "services.recreate",
                    State = state,
                    EndedAt = state == OperationState.Running ? null : Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero)),
                    Message = state switch
                    {
                        OperationState.Failed => "services.recreate failed at step verify: backend unhealthy",
                        OperationState.Interrupted => "interrupted: the agent stopped while this operation ran",
                        OperationState.Cancelled => "services.recreate cancelled on request",
                        _ => "",
                    },
                },
            });
        }
    }

    private sealed class FakeServices(Holder holder) : Services.ServicesBase
    {
        public override async Task Recreate(RecreateServicesRequest request, IServerStreamWriter<OperationEvent> responseStream, ServerCallContext context)
        {
            var server = holder.Server;
            var id = request.Header.OperationId;
            server.Recreates.Enqueue(id);
            foreach (var e in server.Streams.GetValueOrDefault(id) ?? [])
            {
                await responseStream.WriteAsync(e, context.CancellationToken);
            }
        }
    }
}
