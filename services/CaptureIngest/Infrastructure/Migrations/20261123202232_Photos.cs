using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.CaptureIngest.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Photos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "accepted_photos",
                schema: "capture_ingest",
                columns: table => new
                {
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    accepted_by = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_accepted_photos", x => x.registration_id);
                });

            migrationBuilder.CreateTable(
                name: "check_ins",
                schema: "capture_ingest",
                columns: table => new
                {
                    station_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    shoot_number = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    venue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    checked_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_check_ins", x => new { x.station_id, x.day, x.shoot_number });
                });

            migrationBuilder.CreateTable(
                name: "photo_decisions",
                schema: "capture_ingest",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    old_registration_id = table.Column<Guid>(type: "uuid", nullable: true),
                    new_registration_id = table.Column<Guid>(type: "uuid", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_decisions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "photos",
                schema: "capture_ingest",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    venue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    station_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    shoot_number = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    shot_index = table.Column<int>(type: "integer", nullable: false),
                    is_keyframe = table.Column<bool>(type: "boolean", nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    content_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    raw_object_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    height = table.Column<int>(type: "integer", nullable: false),
                    taken_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: true),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: true),
                    bound_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    held_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    held_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    verdict = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    standardized_object_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    standardized_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    standardized_size = table.Column<long>(type: "bigint", nullable: true),
                    quality_report = table.Column<string>(type: "jsonb", nullable: true),
                    failed_measures = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    reject_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    keyframe_registration_id = table.Column<Guid>(type: "uuid", nullable: true),
                    verdict_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photos", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stations",
                schema: "capture_ingest",
                columns: table => new
                {
                    station_id = table.Column<Guid>(type: "uuid", nullable: false),
                    venue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stations", x => x.station_id);
                });

            migrationBuilder.CreateTable(
                name: "withdrawn_registrations",
                schema: "capture_ingest",
                columns: table => new
                {
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_withdrawn_registrations", x => x.registration_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_check_ins_registration_id",
                schema: "capture_ingest",
                table: "check_ins",
                column: "registration_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_decisions_photo_id",
                schema: "capture_ingest",
                table: "photo_decisions",
                column: "photo_id");

            migrationBuilder.CreateIndex(
                name: "ix_photos_registration_id",
                schema: "capture_ingest",
                table: "photos",
                column: "registration_id");

            migrationBuilder.CreateIndex(
                name: "ix_photos_station_id_day_shoot_number",
                schema: "capture_ingest",
                table: "photos",
                columns: new[] { "station_id", "day", "shoot_number" });

            migrationBuilder.CreateIndex(
                name: "ix_photos_station_id_shoot_number_sha256",
                schema: "capture_ingest",
                table: "photos",
                columns: new[] { "station_id", "shoot_number", "sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_photos_status_uploaded_at",
                schema: "capture_ingest",
                table: "photos",
                columns: new[] { "status", "uploaded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_stations_venue_id",
                schema: "capture_ingest",
                table: "stations",
                column: "venue_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accepted_photos",
                schema: "capture_ingest");

            migrationBuilder.DropTable(
                name: "check_ins",
                schema: "capture_ingest");

            migrationBuilder.DropTable(
                name: "photo_decisions",
                schema: "capture_ingest");

            migrationBuilder.DropTable(
                name: "photos",
                schema: "capture_ingest");

            migrationBuilder.DropTable(
                name: "stations",
                schema: "capture_ingest");

            migrationBuilder.DropTable(
                name: "withdrawn_registrations",
                schema: "capture_ingest");
        }
    }
}
