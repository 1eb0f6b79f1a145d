using Capture.Scheduling.Domain;

namespace Capture.Scheduling.Tests;

public sealed class AllocatorTests
{
    private static readonly Guid VenueA = Guid.NewGuid();
    private static readonly Guid VenueB = Guid.NewGuid();
    private static readonly DateOnly Day = new(2030, 10, 25);

    private static AllocatorSession S(int hour, int capacity, Guid? venue = null, string campus = "main", int day = 0) =>
        new(Guid.NewGuid(), campus, venue ?? VenueA, Day.AddDays(day), new DateTimeOffset(2030, 10, 25 + day, hour, 0, 0, TimeSpan.FromHours(8)), capacity);

    [Fact]
    public void Capacity_is_never_exceeded_for_many_random_inputs()
    {
        var random = new Random(20301025);
        for (var round = 0; round < 500; round++)
        {
            var sessions = Enumerable.Range(0, random.Next(1, 8)).Select(i => S(8 + i, random.Next(0, 400), random.Next(2) == 0 ? VenueA : VenueB, random.Next(3) == 0 ? "east" : "main")).ToList();
            var demands = Enumerable.Range(0, random.Next(1, 12)).Select(i => new AllocatorDemand($"c{i}", random.Next(4) switch { 0 => null, 1 => "east", _ => "main" }, random.Next(1, 600))).ToList();

            var result = Allocator.Propose(sessions, demands);

            foreach (var session in sessions)
            {
                Assert.True(result.Placements.Where(p => p.SessionId == session.SessionId).Sum(p => p.Headcount) <= session.Capacity, $"round {round}: session over capacity");
            }

            foreach (var demand in demands)
            {
                var placed = result.Placements.Where(p => p.CollegeCode == demand.CollegeCode).Sum(p => p.Headcount);
                var unplaced = result.Unplaced.Where(u => u.CollegeCode == demand.CollegeCode).Sum(u => u.Headcount);
                Assert.Equal(demand.Headcount, placed + unplaced);
            }
        }
    }

    [Fact]
    public void A_college_that_fits_a_session_is_kept_together_in_one_session()
    {
        var sessions = new[] { S(8, 300), S(9, 300), S(10, 300) };
        var demands = new[] { new AllocatorDemand("law", "main", 250), new AllocatorDemand("math", "main", 120), new AllocatorDemand("art", "main", 170) };

        var result = Allocator.Propose(sessions, demands);

        Assert.Empty(result.Unplaced);
        foreach (var demand in demands)
        {
            var placement = Assert.Single(result.Placements, p => p.CollegeCode == demand.CollegeCode);
            Assert.Equal(demand.Headcount, placement.Headcount);
        }

        // math (120) and art (170) share a session rather than one of them being split.
        Assert.Equal(2, result.Placements.Select(p => p.SessionId).Distinct().Count());
    }

    [Fact]
    public void An_oversized_college_is_split_across_consecutive_sessions_of_one_venue()
    {
        var morning = new[] { S(8, 300), S(9, 300), S(10, 300) };
        var other = S(8, 300, VenueB);
        var result = Allocator.Propose([.. morning, other], [new AllocatorDemand("medicine", "main", 700)]);

        Assert.Empty(result.Unplaced);
        var parts = result.Placements.Where(p => p.CollegeCode == "medicine").OrderBy(p => p.Part).ToList();
        Assert.Equal(3, parts.Count);
        Assert.Equal(700, parts.Sum(p => p.Headcount));
        Assert.Equal(morning.Select(s => s.SessionId), parts.Select(p => p.SessionId));
        Assert.DoesNotContain(parts, p => p.SessionId == other.SessionId);
        Assert.Equal([1, 2, 3], parts.Select(p => p.Part));
    }

    [Fact]
    public void The_split_uses_the_shortest_run_that_holds_the_college()
    {
        var small = S(8, 100);
        var big1 = S(14, 300);
        var big2 = S(15, 300);
        var result = Allocator.Propose([small, big1, big2], [new AllocatorDemand("eng", "main", 450)]);

        var used = result.Placements.Select(p => p.SessionId).ToList();
        Assert.Equal([big1.SessionId, big2.SessionId], used);
    }

    [Fact]
    public void Students_who_cannot_be_placed_are_reported_with_the_reason()
    {
        var sessions = new[] { S(8, 100), S(9, 100) };
        var demands = new[] { new AllocatorDemand("law", "main", 150), new AllocatorDemand("art", "main", 80), new AllocatorDemand("bio", "east", 40) };

        var result = Allocator.Propose(sessions, demands);

        Assert.Equal(200, result.Placements.Sum(p => p.Headcount));
        Assert.Equal(150, result.Placements.Where(p => p.CollegeCode == "law").Sum(p => p.Headcount));
        var art = Assert.Single(result.Unplaced, u => u.CollegeCode == "art");
        Assert.Equal(30, art.Headcount);
        var bio = Assert.Single(result.Unplaced, u => u.CollegeCode == "bio");
        Assert.Equal(40, bio.Headcount);
        Assert.Contains("east", bio.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Students_go_only_to_sessions_of_their_campus_and_those_without_a_campus_go_anywhere()
    {
        var main = S(8, 100, campus: "main");
        var east = S(8, 100, VenueB, campus: "east");
        var result = Allocator.Propose([main, east], [new AllocatorDemand("a", "east", 60), new AllocatorDemand("b", null, 100)]);

        Assert.Equal(east.SessionId, Assert.Single(result.Placements, p => p.CollegeCode == "a").SessionId);
        Assert.Equal(main.SessionId, Assert.Single(result.Placements, p => p.CollegeCode == "b").SessionId);
        Assert.Empty(result.Unplaced);
    }

    [Fact]
    public void Session_capacity_is_throughput_times_length()
    {
        var start = new DateTimeOffset(2030, 10, 25, 8, 15, 0, TimeSpan.FromHours(8));
        Assert.Equal(325, SessionCapacity.Of(start, start.AddHours(3.25), [60, 40]));
        Assert.Equal(0, SessionCapacity.Of(start, start, [100]));
    }
}
