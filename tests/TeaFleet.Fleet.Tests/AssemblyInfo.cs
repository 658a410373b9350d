// One real fleet for the whole run: tests take turns on it.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
[assembly: AssemblyFixture(typeof(TeaFleet.Fleet.Tests.FleetFixture))]
