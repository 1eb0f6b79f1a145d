namespace Capture.Contracts;

/// <summary>
/// Anchor for the contracts assembly. MassTransit matches messages by namespace and type name, so every
/// event and command lives in <c>Capture.Contracts</c> (or a sub-namespace) and nowhere else; the outbox relay
/// resolves stored type names against this assembly and against the assemblies a service registers.
/// </summary>
public static class ContractsAssembly
{
    public static System.Reflection.Assembly Assembly => typeof(ContractsAssembly).Assembly;
}
