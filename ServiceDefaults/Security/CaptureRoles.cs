namespace Capture.ServiceDefaults.Security;

/// <summary>The roles of DESIGN.md. A token carries exactly one, in the <c>role</c> claim.</summary>
public static class CaptureRoles
{
    /// <summary>A graduating student: own records only.</summary>
    public const string Student = "student";

    /// <summary>A college secretary (学院研究生秘书): own college only.</summary>
    public const string CollegeStaff = "college-staff";

    /// <summary>Graduate school or academic affairs (研究生院/教务处): own school only.</summary>
    public const string SchoolAdmin = "school-admin";

    /// <summary>A photographer at a capture station: own venue only.</summary>
    public const string StationOperator = "station-operator";

    /// <summary>The university's student information system, calling over REST.</summary>
    public const string IntegrationClient = "integration-client";

    /// <summary>People watching capture day: queues, throughput, failures.</summary>
    public const string Ops = "ops";

    public static IReadOnlyList<string> All { get; } = [Student, CollegeStaff, SchoolAdmin, StationOperator, IntegrationClient, Ops];
}

/// <summary>Claim types in Capture tokens. Scoping claims say which student, college, school or venue a caller may touch.</summary>
public static class CaptureClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string School = "school";
    public const string College = "college";
    public const string Venue = "venue";
}
