using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Capture.CaptureIngest.Apis;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Storage;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;

namespace Capture.CaptureIngest.Tests;

/// <summary>Uploads: stored before acknowledged, idempotent, and every kind of bad body refused with a reason and nothing recorded.</summary>
public sealed class UploadTests(CaptureIngestApp app) : IClassFixture<CaptureIngestApp>
{
    [Fact]
    public async Task An_upload_is_in_object_storage_with_its_sha256_before_the_201()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var bytes = TestImages.Jpeg(320, 240);
        var response = await CaptureIngestApp.UploadAsync(op, station, "B1-0001", bytes);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var photo = (await response.Content.ReadFromJsonAsync<PhotoView>())!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), photo.Sha256);
        Assert.Equal(bytes.Length, photo.SizeBytes);
        Assert.Equal((320, 240), (photo.Width, photo.Height));

        var row = await app.InDbAsync(db => db.Photos.AsNoTracking().SingleAsync(p => p.Id == photo.Id));
        var storage = app.Service.Services.GetRequiredService<IObjectStorage>();
        await using var stored = await storage.OpenReadAsync(PhotosApi.RawBucket, row.RawObjectKey);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.StartsWith($"{station.School}/", row.RawObjectKey);
    }

    [Fact]
    public async Task The_same_bytes_again_are_the_same_photo_and_other_bytes_a_new_shot()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var bytes = TestImages.Jpeg();
        var first = await CaptureIngestApp.UploadAsync(op, station, "B1-0002", bytes);
        var again = await CaptureIngestApp.UploadAsync(op, station, "B1-0002", bytes);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<PhotoView>())!.Id, (await again.Content.ReadFromJsonAsync<PhotoView>())!.Id);

        // Ten retries at once: still one photo.
        var retries = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => CaptureIngestApp.UploadAsync(op, station, "B1-0002", bytes)));
        Assert.All(retries, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var second = await CaptureIngestApp.UploadAsync(op, station, "B1-0002", TestImages.Jpeg(), shot: 2);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, await app.InDbAsync(db => db.Photos.CountAsync(p => p.StationId == station.Id)));
    }

    [Fact]
    public async Task A_multipart_upload_with_fields_in_the_form_is_stored()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("B1-0005"), "shootNumber");
        form.Add(new StringContent("3"), "shot");
        var file = new ByteArrayContent(TestImages.Png());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "photo", "IMG_0005.png");
        var response = await op.PostAsync($"/api/capture/stations/{station.Id}/photos", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var photo = (await response.Content.ReadFromJsonAsync<PhotoView>())!;
        Assert.Equal(("B1-0005", 3), (photo.ShootNumber, photo.ShotIndex));
    }

    public static TheoryData<string, byte[], HttpStatusCode, string> BadBodies() => new()
    {
        { "zero bytes", [], HttpStatusCode.UnprocessableEntity, "empty" },
        { "a PDF", "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"u8.ToArray(), HttpStatusCode.UnsupportedMediaType, "PDF" },
        { "HEIC", [0, 0, 0, 24, .. "ftypheic"u8.ToArray(), 0, 0, 0, 0, .. "mif1heic"u8.ToArray()], HttpStatusCode.UnsupportedMediaType, "HEIF" },
        { "a truncated JPEG", TestImages.Jpeg(320, 240)[..1500], HttpStatusCode.UnprocessableEntity, "truncated" },
        { "a 30000x30000 PNG", Bomb(), HttpStatusCode.UnprocessableEntity, "30000×30000" },
        { "a JPEG header only", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, .. "JFIF"u8.ToArray(), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9], HttpStatusCode.UnprocessableEntity, "frame header" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_refused_with_the_reason_and_nothing_is_recorded(string what, byte[] body, HttpStatusCode status, string reason)
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var response = await CaptureIngestApp.UploadAsync(op, station, "B1-0001", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Contains(reason, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await app.InDbAsync(db => db.Photos.CountAsync(p => p.StationId == station.Id)));
    }

    [Theory]
    [InlineData("application/pdf")]
    [InlineData("application/json")]
    public async Task A_body_declared_as_another_type_is_refused_with_415_naming_the_type_sent(string declared)
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var body = new ByteArrayContent(TestImages.Jpeg(320, 240));
        body.Headers.ContentType = new MediaTypeHeaderValue(declared);
        var response = await op.PostAsync($"/api/capture/stations/{station.Id}/photos?shootNumber=B1-0001", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{(int)response.StatusCode} {text}");
        Assert.Contains($"'{declared}'", text, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await app.InDbAsync(db => db.Photos.CountAsync(p => p.StationId == station.Id)));
    }

    [Fact]
    public async Task A_body_over_60_MB_is_refused_with_413_whether_or_not_it_declares_its_length()
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);

        // Declared: refused from the header.
        var declared = new StreamContent(new SyntheticJpegStream(61L * 1024 * 1024));
        declared.Headers.ContentLength = 61L * 1024 * 1024;
        declared.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var first = await op.PostAsync($"/api/capture/stations/{station.Id}/photos?shootNumber=B1-0001", declared);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, first.StatusCode);
        Assert.Contains("60 MB", await first.Content.ReadAsStringAsync());

        // Chunked, no length: refused once the count passes the limit.
        var chunked = new StreamContent(new SyntheticJpegStream(61L * 1024 * 1024));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/capture/stations/{station.Id}/photos?shootNumber=B1-0001") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var second = await op.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second.StatusCode);
        Assert.Equal(0, await app.InDbAsync(db => db.Photos.CountAsync(p => p.StationId == station.Id)));
    }

    [Theory]
    [InlineData("shootNumber=", "shootNumber")]
    [InlineData("shootNumber=0137", "shootNumber")]
    [InlineData("shootNumber=B1-0001;DROP", "shootNumber")]
    [InlineData("shootNumber=B1-0001&shot=0", "shot")]
    [InlineData("shootNumber=B1-0001&shot=100", "shot")]
    [InlineData("shootNumber=B1-0001&keyframe=maybe", "keyframe")]
    [InlineData("shootNumber=B1-0001&takenAt=yesterday", "takenAt")]
    [InlineData("shootNumber=B1-0001&takenAt=2099-01-01T00:00:00Z", "takenAt")]
    public async Task Bad_fields_are_400s_naming_the_field(string query, string field)
    {
        var station = await app.OpenStationAsync();
        using var op = app.Operator(station);
        var content = new ByteArrayContent(TestImages.Jpeg());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var response = await op.PostAsync($"/api/capture/stations/{station.Id}/photos?{query}", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
        Assert.Equal(0, await app.InDbAsync(db => db.Photos.CountAsync(p => p.StationId == station.Id)));
    }

    [Fact]
    public async Task Only_operators_of_the_stations_venue_upload_and_a_token_without_venue_is_403_naming_it()
    {
        var station = await app.OpenStationAsync();
        var other = await app.OpenStationAsync(station.School, "B2");
        using var wrongVenue = app.Operator(other);
        var response = await CaptureIngestApp.UploadAsync(wrongVenue, station, "B1-0001", TestImages.Jpeg());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        using var noVenue = app.Service.CreateClient(TestTokens.For(CaptureRoles.StationOperator, school: station.School, venue: null));
        var missing = await CaptureIngestApp.UploadAsync(noVenue, station, "B1-0001", TestImages.Jpeg());
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Contains("'venue'", await missing.Content.ReadAsStringAsync());

        using var admin = app.Admin(station.School);
        Assert.Equal(HttpStatusCode.Forbidden, (await CaptureIngestApp.UploadAsync(admin, station, "B1-0001", TestImages.Jpeg())).StatusCode);

        using var op = app.Operator(station);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsync($"/api/capture/stations/{Guid.NewGuid()}/photos?shootNumber=B1-0001", new ByteArrayContent(TestImages.Jpeg()))).StatusCode);
        Assert.Equal(0, await app.InDbAsync(db => db.Photos.CountAsync(p => p.StationId == station.Id)));

        // Reading: the operator of another venue and another school's admin see nothing of this station.
        Assert.Equal(HttpStatusCode.NotFound, (await wrongVenue.GetAsync($"/api/capture/stations/{station.Id}/photos")).StatusCode);
        using var stranger = app.Admin(CaptureIngestApp.NewSchool());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/capture/stations/{station.Id}/photos")).StatusCode);
    }

    private static byte[] Bomb()
    {
        // A PNG that says 30000×30000 in its header: a few bytes on the wire, 2.7 GB once decoded.
        var png = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
        png.AddRange("IHDR"u8.ToArray());
        png.AddRange([0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0, 0, 0, 0, 0]);
        png.AddRange([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]);
        return [.. png];
    }
}
