using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using TeaFleet.Controller.Agents;
using TeaFleet.Controller.Engine;
using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

public sealed class EngineCompositionTests
{
    [Fact]
    public void Every_journaled_step_type_has_exactly_one_executor_and_the_engine_builds()
    {
        using var dir = new TempDirectory();
        var inventory = InventoryLoader.Load(dir.File("teafleet.yaml", Samples.Inventory));
        using var agents = new AgentPool(inventory, TimeProvider.System);
        using var provider = new ServiceCollection().AddSingleton(agents).AddSingleton(TimeProvider.System).AddRunEngine().AddRollbackSteps().BuildServiceProvider(validateScopes: true);

        var stepTypes = typeof(PlanStep).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToList();
        var executed = provider.GetServices<IStepExecutor>().Select(e => e.StepType).ToList();

        Assert.Equal(22, stepTypes.Count);
        Assert.Equal(stepTypes.OrderBy(t => t.Name), executed.OrderBy(t => t.Name));
        Assert.NotNull(provider.GetRequiredService<RunEngine>());
        Assert.NotNull(RunEngineServices.Build(agents, TimeProvider.System));
    }
}
