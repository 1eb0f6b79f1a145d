using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Verification.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Tasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "export_batches",
                schema: "verification",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    college_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    naming = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    include_expired = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    object_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    photo_count = table.Column<int>(type: "integer", nullable: false),
                    problem_count = table.Column<int>(type: "integer", nullable: false),
                    failure = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_export_batches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "export_problems",
                schema: "verification",
                columns: table => new
                {
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    student_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    college_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_export_problems", x => new { x.batch_id, x.registration_id });
                });

            migrationBuilder.CreateTable(
                name: "photo_access",
                schema: "verification",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    what = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: true),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: true),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    remote_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_access", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "reminders_sent",
                schema: "verification",
                columns: table => new
                {
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    round = table.Column<int>(type: "integer", nullable: false),
                    days_before = table.Column<int>(type: "integer", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reminders_sent", x => new { x.registration_id, x.round, x.days_before });
                });

            migrationBuilder.CreateTable(
                name: "task_history",
                schema: "verification",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    round = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: true),
                    photo_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    photo_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    fields = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    comment = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    actor = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    remote_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_task_history", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tasks",
                schema: "verification",
                columns: table => new
                {
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    college_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    college_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    student_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    student_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    id_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    id_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    degree_level = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    study_mode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    window_days = table.Column<int>(type: "integer", nullable: true),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: true),
                    photo_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    photo_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    photo_accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    state = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    round = table.Column<int>(type: "integer", nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    withdrawn = table.Column<bool>(type: "boolean", nullable: false),
                    withdrawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tasks", x => x.registration_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_export_batches_campaign_id_school_code_requested_at",
                schema: "verification",
                table: "export_batches",
                columns: new[] { "campaign_id", "school_code", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ux_export_batches_one_in_flight",
                schema: "verification",
                table: "export_batches",
                columns: new[] { "campaign_id", "school_code", "college_code", "naming", "include_expired" },
                unique: true,
                filter: "state IN ('Queued', 'Building')");

            migrationBuilder.CreateIndex(
                name: "ix_photo_access_school_code_at",
                schema: "verification",
                table: "photo_access",
                columns: new[] { "school_code", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_task_history_registration_id_at",
                schema: "verification",
                table: "task_history",
                columns: new[] { "registration_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ux_task_history_one_decision_per_round",
                schema: "verification",
                table: "task_history",
                columns: new[] { "registration_id", "round" },
                unique: true,
                filter: "kind IN ('confirmed', 'disputed-photo', 'disputed-data')");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_campaign_id_school_code_college_code_state",
                schema: "verification",
                table: "tasks",
                columns: new[] { "campaign_id", "school_code", "college_code", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_school_code_student_number",
                schema: "verification",
                table: "tasks",
                columns: new[] { "school_code", "student_number" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_state_deadline",
                schema: "verification",
                table: "tasks",
                columns: new[] { "state", "deadline" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "export_batches",
                schema: "verification");

            migrationBuilder.DropTable(
                name: "export_problems",
                schema: "verification");

            migrationBuilder.DropTable(
                name: "photo_access",
                schema: "verification");

            migrationBuilder.DropTable(
                name: "reminders_sent",
                schema: "verification");

            migrationBuilder.DropTable(
                name: "task_history",
                schema: "verification");

            migrationBuilder.DropTable(
                name: "tasks",
                schema: "verification");
        }
    }
}
