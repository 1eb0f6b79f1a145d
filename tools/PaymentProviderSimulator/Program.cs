namespace Capture.PaymentProviderSimulator;

/// <summary>Entry point; not top-level statements, so a test project may reference this and a service's <c>Program</c> together.</summary>
public static class SimulatorProgram
{
    public static void Main(string[] args) => SimulatorApp.Create(args).Run();
}
