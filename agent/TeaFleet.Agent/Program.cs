using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Formatting.Compact;
using TeaFleet.Agent;
using TeaFleet.Agent.Capabilities;
using TeaFleet.Agent.Options;
using TeaFleet.Agent.Security;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    // The configuration is read once. Left to its default, the builder's appsettings.json sources watch
    // the content root (the working directory, / under systemd) recursively: an inotify watch on
    // every directory below it (~6 500 in a sandbox host's directory, the whole disk on a VPS). The
    // slim builder reads that switch only from DOTNET_ variables, so it is set for its construction.
    const string reloadSwitch = "DOTNET_hostBuilder__reloadConfigOnChange";
    var reloadSwitchBefore = Environment.GetEnvironmentVariable(reloadSwitch);
    Environment.SetEnvironmentVariable(reloadSwitch, "false");
    var builder = WebApplication.CreateSlimBuilder(args);
    Environment.SetEnvironmentVariable(reloadSwitch, reloadSwitchBefore);
    builder.WebHost.UseKestrelHttpsConfiguration();
    var explicitConfig = builder.Configuration["config"];
    builder.Configuration
        .AddJsonFile(explicitConfig ?? "/etc/teafleet/agent.json", optional: explicitConfig is null, reloadOnChange: false)
        .AddEnvironmentVariables("TEAFLEET_")
        .AddCommandLine(args);
    if (explicitConfig is not null && !File.Exists(explicitConfig))
    {
        throw new FileNotFoundException($"the configuration file {explicitConfig} does not exist");
    }

    var stateDir = builder.Configuration[$"{AgentOptions.Section}:StateDir"] ?? "/var/lib/teafleet";
    builder.Services.AddSerilog(lc => lc
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
        .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning)
        .Enrich.FromLogContext()
        .Enrich.WithProperty("Host", builder.Configuration[$"{AgentOptions.Section}:HostName"] ?? "")
        .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
        .WriteTo.File(new CompactJsonFormatter(), Path.Combine(stateDir, "logs", "agent-.json"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14));

    builder.Services.AddAgent();
    builder.WebHost.ConfigureKestrel((context, kestrel) =>
    {
        var o = kestrel.ApplicationServices.GetRequiredService<IOptions<AgentOptions>>().Value;
        var address = IPAddress.Parse(o.Listen.Address);
        kestrel.Listen(address, o.Listen.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (o.Listen.Insecure)
            {
                return;
            }

            var certificate = X509Certificate2.CreateFromPemFile(o.Tls.Certificate, o.Tls.PrivateKey);
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(o.Tls.CaCertificate));
            var validator = new ClientCertificateValidator(ca, o.Tls.RequiredRole, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tls"));
            listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (client, _, _) => validator.Validate(client);
            });
        });
        if (o.Listen.HealthPort > 0)
        {
            kestrel.Listen(address, o.Listen.HealthPort, listen => listen.Protocols = HttpProtocols.Http1);
        }
    });

    var app = builder.Build();
    var options = app.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    Directory.CreateDirectory(options.StateDir);
    // Every call counts as work for the idle trimmer (a streaming call until its stream ends).
    var trimmer = app.Services.GetRequiredService<IdleTrimmer>();
    app.Use(async (context, next) =>
    {
        trimmer.Enter();
        try
        {
            await next(context);
        }
        finally
        {
            trimmer.Exit();
        }
    });
    app.MapCapabilities();
    app.MapGrpcHealthChecksService();
    app.MapGet("/healthz", HealthEndpoint.HandleAsync);

    // Load the ledger and the journal now: a restarted agent reports interrupted work at once.
    app.Services.GetRequiredService<TeaFleet.Agent.Operations.OperationManager>();
    app.Services.GetRequiredService<TeaFleet.Agent.State.ReleaseLedger>();
    // The upstream files of Agent:App:Rolling exist before the app's proxy starts and includes them.
    app.Services.GetRequiredService<TeaFleet.Agent.Operations.Releases.RollingHandover>().EnsureUpstreamFiles();
    Log.Information("teafleet-agent {Version} for host {HostName} listening on {Address}:{Port} (health on {HealthPort})",
        AgentVersion.Current, options.HostName, options.Listen.Address, options.Listen.Port, options.Listen.HealthPort);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine("teafleet-agent: the configuration is not valid:");
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine("  - " + failure);
    }

    return 2;
}
catch (Exception ex) when (ex is FileNotFoundException or System.Security.Cryptography.CryptographicException or IOException)
{
    Console.Error.WriteLine($"teafleet-agent: cannot start: {ex.Message}");
    return 2;
}
catch (Exception ex)
{
    Log.Fatal(ex, "teafleet-agent stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
