using Capture.CaptureIngest.Domain;
using Capture.ServiceDefaults.Security;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Capture.CaptureIngest.Tests;

/// <summary>
/// The capture-code keyframe: the station photographs the student's QR code first; the worker reads it, checks its
/// signature, and the binding must agree with it, or every photo of that shoot number is held.
/// </summary>
public sealed class KeyframeTests(CaptureIngestApp app) : IClassFixture<CaptureIngestApp>
{
    private static readonly CaptureCodeSigner Signer = CaptureCodeKey.CreateSigner(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = TestTokens.SigningKey }).Build(),
        new FakeEnvironment());

    [Fact]
    public async Task A_keyframe_of_the_checked_in_students_code_agrees_and_the_photos_stay_bound()
    {
        var station = await app.OpenStationAsync();
        var registration = await app.CheckInAsync(station, "B1-0001");
        using var op = app.Operator(station);
        var keyframe = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Unique(TestPhotos.Bytes(TestPhotos.WithQrCode(Signer.Issue(registration, 1)))), keyframe: true);
        var photo = await app.UploadOkAsync(op, station, "B1-0001", TestImages.Jpeg(), shot: 2);

        var read = await Eventually.GetAsync(() => app.PhotoAsync(op, keyframe.Id), p => p.Verdict != "pending", TimeSpan.FromSeconds(60), "the keyframe read");
        Assert.Equal("keyframe", read.Verdict);
        Assert.Contains(registration.ToString(), read.RejectReason);
        Assert.Equal("bound", (await app.PhotoAsync(op, photo.Id)).Status);
        Assert.Equal(registration, await app.InDbAsync(db => db.Photos.Where(p => p.Id == keyframe.Id).Select(p => p.KeyframeRegistrationId).SingleAsync()));
    }

    [Fact]
    public async Task A_keyframe_naming_another_student_holds_every_photo_of_the_shoot_number_and_says_why()
    {
        var station = await app.OpenStationAsync();
        var checkedIn = await app.CheckInAsync(station, "B1-0002");
        using var op = app.Operator(station);
        var photo = await app.UploadOkAsync(op, station, "B1-0002", TestImages.Jpeg());
        Assert.Equal("bound", photo.Status);

        var someoneElse = Guid.NewGuid();
        await app.UploadOkAsync(op, station, "B1-0002", TestImages.Unique(TestPhotos.Bytes(TestPhotos.WithQrCode(Signer.Issue(someoneElse, 1)))), shot: 2, keyframe: true);
        var held = await Eventually.GetAsync(() => app.PhotoAsync(op, photo.Id), p => p.Status == "held", TimeSpan.FromSeconds(60), "the photo held");
        Assert.Contains(someoneElse.ToString(), held.HeldReason);
        Assert.Contains(checkedIn.ToString(), held.HeldReason);

        // A photo arriving later for the same shoot number is held too, not bound.
        var late = await app.UploadOkAsync(op, station, "B1-0002", TestImages.Jpeg(), shot: 3);
        Assert.Equal("held", late.Status);
    }

    [Fact]
    public async Task A_forged_code_in_a_keyframe_is_reported_and_never_counts_as_agreement()
    {
        var station = await app.OpenStationAsync();
        var registration = await app.CheckInAsync(station, "B1-0003");
        using var op = app.Operator(station);
        var forger = new CaptureCodeSigner(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var keyframe = await app.UploadOkAsync(op, station, "B1-0003", TestImages.Unique(TestPhotos.Bytes(TestPhotos.WithQrCode(forger.Issue(registration, 1)))), keyframe: true);
        var read = await Eventually.GetAsync(() => app.PhotoAsync(op, keyframe.Id), p => p.Verdict != "pending", TimeSpan.FromSeconds(60), "the keyframe read");
        Assert.Contains("not a genuine capture code", read.RejectReason);
        Assert.Null(await app.InDbAsync(db => db.Photos.Where(p => p.Id == keyframe.Id).Select(p => p.KeyframeRegistrationId).SingleAsync()));
    }

    private sealed class FakeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
