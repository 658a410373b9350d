using TeaFleet.Controller.Inventory;
using TeaFleet.Controller.Plans;

namespace TeaFleet.Controller.Tests;

public sealed class ProcedureTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetInventory _inventory;

    public ProcedureTests() => _inventory = InventoryLoader.Load(_dir.File("teafleet.yaml", Samples.Inventory));

    public void Dispose() => _dir.Dispose();

    private static Plan PlanOf(PlanKind kind, RollbackType type, params string[] services) =>
        new(kind, type, "production", Samples.C1, [], services, new Dictionary<string, string>(), []);

    [Theory]
    [InlineData(PlanKind.Rollback, RollbackType.CodeOnly, typeof(CodeOnlyRollback))]
    [InlineData(PlanKind.Rollback, RollbackType.CodeAndDatabase, typeof(CodeAndDatabaseRollback))]
    [InlineData(PlanKind.Rollback, RollbackType.FullSystem, typeof(FullSystemRollback))]
    [InlineData(PlanKind.Deploy, RollbackType.None, typeof(DeployProcedure))]
    [InlineData(PlanKind.Restore, RollbackType.None, typeof(RestoreProcedure))]
    [InlineData(PlanKind.Repair, RollbackType.None, typeof(MigrationRepairProcedure))]
    [InlineData(PlanKind.RepairLeftovers, RollbackType.None, typeof(LeftoverRepairProcedure))]
    [InlineData(PlanKind.Backup, RollbackType.None, typeof(BackupProcedure))]
    [InlineData(PlanKind.Verify, RollbackType.None, typeof(VerifyBackupProcedure))]
    [InlineData(PlanKind.Prune, RollbackType.None, typeof(PruneBackupsProcedure))]
    public void A_journaled_plan_finds_its_procedure_by_kind_and_type(PlanKind kind, RollbackType type, Type procedure)
    {
        var plan = PlanOf(kind, type);

        Assert.IsType(procedure, plan.Procedure);
        Assert.Equal(kind, plan.Procedure.Kind);
        Assert.Equal(kind is PlanKind.Rollback or PlanKind.Restore or PlanKind.Repair, plan.NeedsDrill);
        Assert.Equal(kind is PlanKind.Rollback or PlanKind.Restore, plan.Procedure.WritesReport);
        Assert.Equal(kind is PlanKind.Rollback or PlanKind.Deploy, plan.SwitchesCode);
    }

    [Fact]
    public void Each_procedure_owns_its_drill_command_data_loss_and_next_move()
    {
        var type3 = PlanOf(PlanKind.Rollback, RollbackType.FullSystem, "worker", "backend");
        Assert.Equal($"teafleet -i {_inventory.Path} rollback staging --to {Samples.C1} --type 3 --services backend,worker", type3.Procedure.DrillCommand(_inventory, "staging", type3));
        var repair = PlanOf(PlanKind.Repair, RollbackType.None);
        Assert.Equal($"teafleet -i {_inventory.Path} repair migration-failed staging", repair.Procedure.DrillCommand(_inventory, "staging", repair));

        Assert.Contains("reverted migrations", PlanOf(PlanKind.Rollback, RollbackType.CodeAndDatabase).Procedure.DataLoss(PlanOf(PlanKind.Rollback, RollbackType.CodeAndDatabase)), StringComparison.Ordinal);
        var type1 = PlanOf(PlanKind.Rollback, RollbackType.CodeOnly);
        Assert.Equal("- Data loss: none expected (Type 1 (code only) changes no data)", type1.Procedure.DataLoss(type1));
        Assert.Contains("escalate to a Type 2/3 rollback", type1.Procedure.NextMove("-i inv", type1, "prod-2", "RUN"), StringComparison.Ordinal);
        var deploy = PlanOf(PlanKind.Deploy, RollbackType.None);
        Assert.Contains("roll back with 'teafleet -i inv rollback production'", deploy.Procedure.NextMove("-i inv", deploy, "prod-2", "RUN"), StringComparison.Ordinal);
        Assert.Equal("rollback to 111111111111 (services: all release services)", type1.What);
    }
}
