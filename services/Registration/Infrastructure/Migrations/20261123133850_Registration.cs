using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Registration.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Registration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "campaigns",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    school_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    cohort = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    degree_levels = table.Column<List<string>>(type: "text[]", nullable: false),
                    study_modes = table.Column<List<string>>(type: "text[]", nullable: false),
                    registration_opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registration_closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    correction_deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fee_fen = table.Column<long>(type: "bigint", nullable: false),
                    verification_window_days = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "prior_captures",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    id_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    degree_level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prior_captures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "registrations",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    student_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    id_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    id_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    degree_level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    study_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    college_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    college_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    major = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    class_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    campus = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    cohort = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reviewed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    capture_code_version = table.Column<int>(type: "integer", nullable: false),
                    capture_code_revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registrations", x => x.id);
                    table.ForeignKey(
                        name: "fk_registrations_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalSchema: "registration",
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "corrections",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    college_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    field = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    new_id_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    new_value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    old_value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    document_reference = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_corrections", x => x.id);
                    table.ForeignKey(
                        name: "fk_corrections_registrations_registration_id",
                        column: x => x.registration_id,
                        principalSchema: "registration",
                        principalTable: "registrations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "registration_history",
                schema: "registration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    registration_id = table.Column<Guid>(type: "uuid", nullable: false),
                    field = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    old_value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    new_value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    changed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registration_history", x => x.id);
                    table.ForeignKey(
                        name: "fk_registration_history_registrations_registration_id",
                        column: x => x.registration_id,
                        principalSchema: "registration",
                        principalTable: "registrations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_school_code",
                schema: "registration",
                table: "campaigns",
                column: "school_code");

            migrationBuilder.CreateIndex(
                name: "ix_corrections_campaign_id_status",
                schema: "registration",
                table: "corrections",
                columns: new[] { "campaign_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_corrections_registration_id",
                schema: "registration",
                table: "corrections",
                column: "registration_id");

            migrationBuilder.CreateIndex(
                name: "ix_prior_captures_id_number_degree_level",
                schema: "registration",
                table: "prior_captures",
                columns: new[] { "id_number", "degree_level" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_registration_history_registration_id",
                schema: "registration",
                table: "registration_history",
                column: "registration_id");

            migrationBuilder.CreateIndex(
                name: "ix_registrations_campaign_id_college_code_status",
                schema: "registration",
                table: "registrations",
                columns: new[] { "campaign_id", "college_code", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_registrations_campaign_id_id_number",
                schema: "registration",
                table: "registrations",
                columns: new[] { "campaign_id", "id_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_registrations_campaign_id_student_number",
                schema: "registration",
                table: "registrations",
                columns: new[] { "campaign_id", "student_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_registrations_school_code_student_number",
                schema: "registration",
                table: "registrations",
                columns: new[] { "school_code", "student_number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "corrections",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "prior_captures",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "registration_history",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "registrations",
                schema: "registration");

            migrationBuilder.DropTable(
                name: "campaigns",
                schema: "registration");
        }
    }
}
