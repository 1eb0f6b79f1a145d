namespace Capture.ServiceDefaults.Tests.Plumbing;

public sealed record LedgerOpened(Guid LedgerId, string Name);

public sealed record DepositMade(Guid LedgerId, long Amount);
