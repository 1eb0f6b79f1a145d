using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Scheduling.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SchedulingModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "campuses",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campuses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "makeup_eligibilities",
                schema: "scheduling",
                columns: table => new
                {
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    granted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_makeup_eligibilities", x => new { x.registration_id, x.campaign_id });
                });

            migrationBuilder.CreateTable(
                name: "payments",
                schema: "scheduling",
                columns: table => new
                {
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    paid_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    refunded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payments", x => x.payment_id);
                });

            migrationBuilder.CreateTable(
                name: "plans",
                schema: "scheduling",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    published_version = table.Column<int>(type: "integer", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    instructions = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.campaign_id);
                });

            migrationBuilder.CreateTable(
                name: "registrations",
                schema: "scheduling",
                columns: table => new
                {
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    college_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    college_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    class_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    student_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    student_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    masked_id_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    degree_level = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    campus = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    fee_fen = table.Column<long>(type: "bigint", nullable: false),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registrations", x => x.registration_id);
                });

            migrationBuilder.CreateTable(
                name: "station_day_counters",
                schema: "scheduling",
                columns: table => new
                {
                    station_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    last_sequence = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_station_day_counters", x => new { x.station_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "verified_capture_codes",
                schema: "scheduling",
                columns: table => new
                {
                    code_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_verified_capture_codes", x => x.code_hash);
                });

            migrationBuilder.CreateTable(
                name: "capture_days",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    campus_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_capture_days", x => x.id);
                    table.ForeignKey(
                        name: "fk_capture_days_campuses_campus_id",
                        column: x => x.campus_id,
                        principalSchema: "scheduling",
                        principalTable: "campuses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "venues",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    campus_id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    building = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    room = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_venues", x => x.id);
                    table.ForeignKey(
                        name: "fk_venues_campuses_campus_id",
                        column: x => x.campus_id,
                        principalSchema: "scheduling",
                        principalTable: "campuses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    capture_day_id = table.Column<Guid>(type: "uuid", nullable: false),
                    venue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    capacity = table.Column<int>(type: "integer", nullable: true),
                    booked = table.Column<int>(type: "integer", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sessions", x => x.id);
                    table.CheckConstraint("ck_sessions_booked", "booked >= 0 AND (capacity IS NULL OR booked <= capacity)");
                    table.CheckConstraint("ck_sessions_window", "ends_at > starts_at");
                    table.ForeignKey(
                        name: "fk_sessions_capture_days_capture_day_id",
                        column: x => x.capture_day_id,
                        principalSchema: "scheduling",
                        principalTable: "capture_days",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sessions_venues_venue_id",
                        column: x => x.venue_id,
                        principalSchema: "scheduling",
                        principalTable: "venues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stations",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    venue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    throughput_per_hour = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stations", x => x.id);
                    table.CheckConstraint("ck_stations_throughput", "throughput_per_hour > 0");
                    table.ForeignKey(
                        name: "fk_stations_venues_venue_id",
                        column: x => x.venue_id,
                        principalSchema: "scheduling",
                        principalTable: "venues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "allocations",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    college_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    expected_headcount = table.Column<int>(type: "integer", nullable: false),
                    part = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_allocations", x => x.id);
                    table.CheckConstraint("ck_allocations_headcount", "expected_headcount > 0");
                    table.ForeignKey(
                        name: "fk_allocations_sessions_session_id",
                        column: x => x.session_id,
                        principalSchema: "scheduling",
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "makeup_bookings",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    makeup_session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    booked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_makeup_bookings", x => x.id);
                    table.ForeignKey(
                        name: "fk_makeup_bookings_sessions_makeup_session_id",
                        column: x => x.makeup_session_id,
                        principalSchema: "scheduling",
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "check_ins",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    station_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    shoot_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    checked_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    late = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    override_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    overridden_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    operator_subject = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_check_ins", x => x.id);
                    table.ForeignKey(
                        name: "fk_check_ins_sessions_session_id",
                        column: x => x.session_id,
                        principalSchema: "scheduling",
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_check_ins_stations_station_id",
                        column: x => x.station_id,
                        principalSchema: "scheduling",
                        principalTable: "stations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "class_slots",
                schema: "scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    allocation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    class_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_class_slots", x => x.id);
                    table.ForeignKey(
                        name: "fk_class_slots_allocations_allocation_id",
                        column: x => x.allocation_id,
                        principalSchema: "scheduling",
                        principalTable: "allocations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_allocations_campaign_id_college_code",
                schema: "scheduling",
                table: "allocations",
                columns: new[] { "campaign_id", "college_code" });

            migrationBuilder.CreateIndex(
                name: "ix_allocations_session_id_college_code",
                schema: "scheduling",
                table: "allocations",
                columns: new[] { "session_id", "college_code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_campuses_school_code_code",
                schema: "scheduling",
                table: "campuses",
                columns: new[] { "school_code", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_capture_days_campaign_id_campus_id_date",
                schema: "scheduling",
                table: "capture_days",
                columns: new[] { "campaign_id", "campus_id", "date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_capture_days_campus_id",
                schema: "scheduling",
                table: "capture_days",
                column: "campus_id");

            migrationBuilder.CreateIndex(
                name: "ix_check_ins_registration_id_session_id",
                schema: "scheduling",
                table: "check_ins",
                columns: new[] { "registration_id", "session_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_check_ins_session_id_status",
                schema: "scheduling",
                table: "check_ins",
                columns: new[] { "session_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_check_ins_station_id_day_sequence",
                schema: "scheduling",
                table: "check_ins",
                columns: new[] { "station_id", "day", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_check_ins_station_id_day_shoot_number",
                schema: "scheduling",
                table: "check_ins",
                columns: new[] { "station_id", "day", "shoot_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_class_slots_allocation_id_class_name",
                schema: "scheduling",
                table: "class_slots",
                columns: new[] { "allocation_id", "class_name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_makeup_bookings_campaign_id_registration_id",
                schema: "scheduling",
                table: "makeup_bookings",
                columns: new[] { "campaign_id", "registration_id" },
                unique: true,
                filter: "cancelled_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_makeup_bookings_makeup_session_id",
                schema: "scheduling",
                table: "makeup_bookings",
                column: "makeup_session_id");

            migrationBuilder.CreateIndex(
                name: "ix_payments_registration_id",
                schema: "scheduling",
                table: "payments",
                column: "registration_id");

            migrationBuilder.CreateIndex(
                name: "ix_registrations_campaign_id_college_code",
                schema: "scheduling",
                table: "registrations",
                columns: new[] { "campaign_id", "college_code" });

            migrationBuilder.CreateIndex(
                name: "ix_registrations_school_code_student_number",
                schema: "scheduling",
                table: "registrations",
                columns: new[] { "school_code", "student_number" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_campaign_id_starts_at",
                schema: "scheduling",
                table: "sessions",
                columns: new[] { "campaign_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sessions_capture_day_id",
                schema: "scheduling",
                table: "sessions",
                column: "capture_day_id");

            migrationBuilder.CreateIndex(
                name: "ix_sessions_venue_id_starts_at",
                schema: "scheduling",
                table: "sessions",
                columns: new[] { "venue_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_stations_venue_id_code",
                schema: "scheduling",
                table: "stations",
                columns: new[] { "venue_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_venues_campus_id",
                schema: "scheduling",
                table: "venues",
                column: "campus_id");

            migrationBuilder.CreateIndex(
                name: "ix_venues_school_code_code",
                schema: "scheduling",
                table: "venues",
                columns: new[] { "school_code", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_verified_capture_codes_registration_id",
                schema: "scheduling",
                table: "verified_capture_codes",
                column: "registration_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "check_ins",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "class_slots",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "makeup_bookings",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "makeup_eligibilities",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "payments",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "plans",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "registrations",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "station_day_counters",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "verified_capture_codes",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "stations",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "allocations",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "sessions",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "capture_days",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "venues",
                schema: "scheduling");

            migrationBuilder.DropTable(
                name: "campuses",
                schema: "scheduling");
        }
    }
}
