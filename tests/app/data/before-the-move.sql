BEGIN TRANSACTION;
CREATE TABLE "announcement_recipients" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "seen_at" TIMESTAMP,
    "announcement_id" INT NOT NULL REFERENCES "announcements" ("id") ON DELETE CASCADE,
    "guardian_id" INT NOT NULL REFERENCES "guardians" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_announcemen_announc_59d7f1" UNIQUE ("announcement_id", "guardian_id")
);
CREATE TABLE "announcement_templates" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(64) NOT NULL,
    "text" TEXT NOT NULL,
    "translations" JSON NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_announcemen_school__f1e55d" UNIQUE ("school_id", "key")
);
CREATE TABLE "announcements" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "audience_kind" VARCHAR(8) NOT NULL  /* CLASS: class\nYEAR: year\nSCHOOL: school */,
    "audience_ref" VARCHAR(16) NOT NULL,
    "text" TEXT NOT NULL,
    "translations" JSON NOT NULL,
    "needs_ack" INT NOT NULL,
    "critical" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "reminded_at" TIMESTAMP,
    "author_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE
);
CREATE TABLE "assessments" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "area" VARCHAR(16) NOT NULL  /* READING: reading\nWRITING: writing\nMATHS: maths\nATTENDANCE: attendance\nORGANISATION: organisation\nATTITUDE: attitude\nBEHAVIOUR: behaviour */,
    "band" VARCHAR(32) NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "by_pupil" INT NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "recorded_by_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL
);
INSERT INTO "assessments" VALUES(1,'reading','towards','',0,'2026-11-24 09:00:00+00:00','2026-12-07 21:05:46.601970+00:00',1,1);
CREATE TABLE "audit_entries" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "actor_kind" VARCHAR(16) NOT NULL,
    "actor_id" INT,
    "action" VARCHAR(64) NOT NULL,
    "subject_kind" VARCHAR(32) NOT NULL,
    "subject_id" INT,
    "pupil_id" INT,
    "details" JSON NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "school_id" INT REFERENCES "schools" ("id") ON DELETE CASCADE
);
CREATE TABLE "band_labels" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "scale" VARCHAR(16) NOT NULL  /* ATTAINMENT: attainment\nATTITUDE: attitude */,
    "code" VARCHAR(32) NOT NULL,
    "label" VARCHAR(64) NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_band_labels_school__f21f46" UNIQUE ("school_id", "scale", "code")
);
CREATE TABLE "bookings" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "holds_slot" INT  UNIQUE,
    "status" VARCHAR(16) NOT NULL  /* OFFERED: offered\nBOOKED: booked\nCONFIRMED: confirmed\nDECLINED: declined\nATTENDED: attended\nMISSED: missed\nCANCELLED: cancelled */,
    "confirmed_at" TIMESTAMP,
    "decline_reason" VARCHAR(300) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "booked_by_staff_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    "confirmed_by_id" INT REFERENCES "guardians" ("id") ON DELETE SET NULL,
    "guardian_id" INT REFERENCES "guardians" ("id") ON DELETE SET NULL,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "slot_id" INT NOT NULL REFERENCES "slots" ("id") ON DELETE CASCADE
, "holds_family" VARCHAR(64));
INSERT INTO "bookings" VALUES(1,1,'booked',NULL,'','2026-12-07 21:05:46.600097+00:00','2026-12-07 21:05:46.600107+00:00',NULL,NULL,NULL,1,1,NULL);
CREATE TABLE "chat_flows" (
    "chat_id" BIGINT NOT NULL  PRIMARY KEY,
    "kind" VARCHAR(32) NOT NULL,
    "step" VARCHAR(32) NOT NULL,
    "data" JSON NOT NULL,
    "expires_at" TIMESTAMP NOT NULL
);
CREATE TABLE "delivery_pace" (
    "name" VARCHAR(32) NOT NULL  PRIMARY KEY,
    "next_at" TIMESTAMP NOT NULL
);
CREATE TABLE "expectations" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "area" VARCHAR(16) NOT NULL  /* READING: reading\nWRITING: writing\nMATHS: maths\nATTENDANCE: attendance\nORGANISATION: organisation\nATTITUDE: attitude\nBEHAVIOUR: behaviour */,
    "academic_year" VARCHAR(9) NOT NULL,
    "band" VARCHAR(32) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "set_by_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_expectation_pupil_i_2bf783" UNIQUE ("pupil_id", "area", "academic_year")
);
CREATE TABLE "guardian_links" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "relationship" VARCHAR(64) NOT NULL,
    "receives_reports" INT NOT NULL,
    "separate" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "guardian_id" INT NOT NULL REFERENCES "guardians" ("id") ON DELETE CASCADE,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_guardian_li_guardia_b35205" UNIQUE ("guardian_id", "pupil_id")
);
INSERT INTO "guardian_links" VALUES(1,'mother',1,0,'2026-12-07 21:05:46.596581+00:00','2026-12-07 21:05:46.596591+00:00',1,1);
CREATE TABLE "guardians" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "external_id" VARCHAR(64) NOT NULL,
    "first_name" VARCHAR(100) NOT NULL,
    "last_name" VARCHAR(100) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "phone" VARCHAR(32) NOT NULL,
    "language" VARCHAR(16),
    "telegram_user_id" BIGINT  UNIQUE,
    "linked_at" TIMESTAMP,
    "unreachable_at" TIMESTAMP,
    "left_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_guardians_school__35d31c" UNIQUE ("school_id", "external_id")
);
INSERT INTO "guardians" VALUES(1,'C1','Ewa','Nowak','','','en',NULL,NULL,NULL,NULL,'2026-12-07 21:05:46.595703+00:00','2026-12-07 21:05:46.595713+00:00',1);
CREATE TABLE "half_terms" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "academic_year" VARCHAR(9) NOT NULL,
    "number" SMALLINT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_half_terms_school__b515fd" UNIQUE ("school_id", "academic_year", "number")
);
CREATE TABLE "invites" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL  /* STAFF: staff\nGUARDIAN: guardian */,
    "code_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "used_at" TIMESTAMP,
    "revoked_at" TIMESTAMP,
    "guardian_id" INT REFERENCES "guardians" ("id") ON DELETE CASCADE,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    "staff_id" INT REFERENCES "staff" ("id") ON DELETE CASCADE
);
CREATE TABLE "meeting_records" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "held_at" TIMESTAMP NOT NULL,
    "parent_attended" INT NOT NULL,
    "notes" TEXT NOT NULL,
    "child_voice" TEXT NOT NULL,
    "staff_notes" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "staff_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    "booking_id" INT  UNIQUE REFERENCES "bookings" ("id") ON DELETE SET NULL
);
CREATE TABLE "meeting_targets_reviewed" (
    "meeting_records_id" INT NOT NULL REFERENCES "meeting_records" ("id") ON DELETE CASCADE,
    "target_id" INT NOT NULL REFERENCES "targets" ("id") ON DELETE CASCADE
);
CREATE TABLE "meeting_targets_set" (
    "meeting_records_id" INT NOT NULL REFERENCES "meeting_records" ("id") ON DELETE CASCADE,
    "target_id" INT NOT NULL REFERENCES "targets" ("id") ON DELETE CASCADE
);
CREATE TABLE "mentoring_rounds" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "academic_year" VARCHAR(9) NOT NULL,
    "number" SMALLINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "opens_on" DATE NOT NULL,
    "closes_on" DATE NOT NULL,
    "slot_minutes" SMALLINT NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_mentoring_r_school__aee215" UNIQUE ("school_id", "academic_year", "number")
);
INSERT INTO "mentoring_rounds" VALUES(1,'2026-27',1,'Autumn','2026-11-24','2026-11-24',10,1);
CREATE TABLE "message_copies" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "chat_id" BIGINT NOT NULL,
    "telegram_message_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL REFERENCES "thread_messages" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_message_cop_chat_id_03c801" UNIQUE ("chat_id", "telegram_message_id")
);
CREATE TABLE "message_threads" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_message_at" TIMESTAMP,
    "guardian_id" INT NOT NULL REFERENCES "guardians" ("id") ON DELETE CASCADE,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_message_thr_guardia_bd0f5a" UNIQUE ("guardian_id", "pupil_id")
);
CREATE TABLE "notifications" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "school_id" INT REFERENCES "schools" ("id") ON DELETE CASCADE, "guardian_id" INT REFERENCES "guardians" ("id") ON DELETE CASCADE, "staff_id" INT REFERENCES "staff" ("id") ON DELETE CASCADE, "chat_id" BIGINT NOT NULL, "kind" VARCHAR(64) NOT NULL, "params" JSON NOT NULL, "due_at" TIMESTAMP NOT NULL, "state" VARCHAR(16) NOT NULL, "attempts" SMALLINT NOT NULL, "last_error" VARCHAR(200) NOT NULL, "idempotency_key" VARCHAR(128) NOT NULL UNIQUE, "claimed_until" TIMESTAMP, "telegram_message_id" BIGINT, "created_at" TIMESTAMP NOT NULL, "sent_at" TIMESTAMP, "digest" INT NOT NULL DEFAULT 0);
CREATE TABLE "processed_updates" (
    "update_id" BIGINT NOT NULL  PRIMARY KEY,
    "processed_at" TIMESTAMP NOT NULL
);
CREATE TABLE "pupils" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "external_id" VARCHAR(64) NOT NULL,
    "first_name" VARCHAR(100) NOT NULL,
    "last_name" VARCHAR(100) NOT NULL,
    "year_group" VARCHAR(2) NOT NULL  /* RECEPTION: R\nY1: 1\nY2: 2\nY3: 3\nY4: 4\nY5: 5\nY6: 6 */,
    "left_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    "school_class_id" INT REFERENCES "school_classes" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_pupils_school__b90ba3" UNIQUE ("school_id", "external_id")
);
INSERT INTO "pupils" VALUES(1,'P1','Maja','Nowak','3',NULL,'2026-12-07 21:05:46.594736+00:00','2026-12-07 21:05:46.594750+00:00',1,1);
CREATE TABLE "school_classes" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_school_clas_school__15cbb8" UNIQUE ("school_id", "name")
);
INSERT INTO "school_classes" VALUES(1,'3B',1);
CREATE TABLE "schools" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "default_locale" VARCHAR(16) NOT NULL,
    "academic_year" VARCHAR(9) NOT NULL  /* e.g. 2026-27 */,
    "meeting_rounds_per_year" SMALLINT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
, "quiet_ends" VARCHAR(5) NOT NULL DEFAULT '07:30', "quiet_starts" VARCHAR(5) NOT NULL DEFAULT '20:00', "office_closes" VARCHAR(5) NOT NULL DEFAULT '17:00', "office_opens" VARCHAR(5) NOT NULL DEFAULT '08:00');
INSERT INTO "schools" VALUES(1,'Oakfield Primary','Europe/London','en','2026-27',4,'2026-12-07 21:05:46.590581+00:00','00:00','00:00','17:00','08:00');
CREATE TABLE "slots" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "starts_at" TIMESTAMP NOT NULL,
    "ends_at" TIMESTAMP NOT NULL,
    "blocked" INT NOT NULL,
    "round_id" INT NOT NULL REFERENCES "mentoring_rounds" ("id") ON DELETE CASCADE,
    "staff_id" INT NOT NULL REFERENCES "staff" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_slots_staff_i_10f034" UNIQUE ("staff_id", "starts_at")
);
INSERT INTO "slots" VALUES(1,'2026-11-24 09:00:00+00:00','2026-11-24 09:00:00+00:00',0,1,1);
CREATE TABLE "staff" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "external_id" VARCHAR(64) NOT NULL,
    "first_name" VARCHAR(100) NOT NULL,
    "last_name" VARCHAR(100) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "role" VARCHAR(16) NOT NULL  /* ADMIN: admin\nTEACHER: teacher\nASSISTANT: assistant */,
    "language" VARCHAR(16),
    "telegram_user_id" BIGINT  UNIQUE,
    "linked_at" TIMESTAMP,
    "left_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "school_id" INT NOT NULL REFERENCES "schools" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_staff_school__50ba17" UNIQUE ("school_id", "external_id")
);
INSERT INTO "staff" VALUES(1,'S1','Amira','Khan','','teacher',NULL,42,NULL,NULL,'2026-12-07 21:05:46.597467+00:00','2026-12-07 21:05:46.597478+00:00',1);
CREATE TABLE "staff_absences" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "starts_at" TIMESTAMP NOT NULL,
    "ends_at" TIMESTAMP,
    "cover_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    "staff_id" INT NOT NULL REFERENCES "staff" ("id") ON DELETE CASCADE
);
CREATE TABLE "staff_classes" (
    "staff_id" INT NOT NULL REFERENCES "staff" ("id") ON DELETE CASCADE,
    "schoolclass_id" INT NOT NULL REFERENCES "school_classes" ("id") ON DELETE CASCADE
);
CREATE TABLE "support" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL  /* IN_CLASS: in_class\nGROUP: group\nONE_TO_ONE: one_to_one\nEXTERNAL: external */,
    "description" VARCHAR(500) NOT NULL,
    "responsible" VARCHAR(200) NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "review_on" DATE,
    "created_at" TIMESTAMP NOT NULL,
    "created_by_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "responsible_staff_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL
);
CREATE TABLE "target_acknowledgements" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "seen_at" TIMESTAMP NOT NULL,
    "guardian_id" INT NOT NULL REFERENCES "guardians" ("id") ON DELETE CASCADE,
    "target_id" INT NOT NULL REFERENCES "targets" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_target_ackn_target__bec9a7" UNIQUE ("target_id", "guardian_id")
);
CREATE TABLE "targets" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "area" VARCHAR(16) NOT NULL  /* READING: reading\nWRITING: writing\nMATHS: maths\nATTENDANCE: attendance\nORGANISATION: organisation\nATTITUDE: attitude\nBEHAVIOUR: behaviour */,
    "text" VARCHAR(500) NOT NULL,
    "home_support" VARCHAR(500) NOT NULL,
    "status" VARCHAR(16) NOT NULL  /* ACTIVE: active\nACHIEVED: achieved\nCARRIED_OVER: carried_over\nDROPPED: dropped */,
    "set_on" DATE NOT NULL,
    "review_on" DATE,
    "closed_on" DATE,
    "updated_at" TIMESTAMP NOT NULL,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "set_by_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL
);
INSERT INTO "targets" VALUES(1,'reading','Reads aloud with expression','Read together','active','2026-11-24',NULL,NULL,'2026-12-07 21:05:46.601007+00:00',1,1);
CREATE TABLE "thread_messages" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "direction" VARCHAR(16) NOT NULL  /* FROM_GUARDIAN: from_guardian\nFROM_STAFF: from_staff */,
    "text" TEXT NOT NULL,
    "attachment_kind" VARCHAR(16) NOT NULL,
    "attachment_file_id" VARCHAR(255) NOT NULL,
    "attachment_name" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "deliver_after" TIMESTAMP NOT NULL,
    "read_at" TIMESTAMP,
    "read_by_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    "staff_id" INT REFERENCES "staff" ("id") ON DELETE SET NULL,
    "thread_id" INT NOT NULL REFERENCES "message_threads" ("id") ON DELETE CASCADE
);
CREATE TABLE "tortoise_migrations" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "app" VARCHAR(255) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "applied_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_tortoise_mi_app_3803a5" UNIQUE ("app", "name")
);
INSERT INTO "tortoise_migrations" VALUES(1,'models','0001_initial','2026-12-07 21:05:45.625264+00:00');
INSERT INTO "tortoise_migrations" VALUES(2,'models','0002_booking_family_key','2026-12-07 21:05:45.654662+00:00');
INSERT INTO "tortoise_migrations" VALUES(3,'models','0003_delivery_pace_digests_quiet_hours','2026-12-07 21:05:46.092269+00:00');
INSERT INTO "tortoise_migrations" VALUES(4,'models','0004_messages_and_announcements','2026-12-07 21:05:46.579403+00:00');
CREATE TABLE "user_preferences" (
    "telegram_user_id" BIGINT NOT NULL  PRIMARY KEY,
    "language" VARCHAR(16),
    "updated_at" TIMESTAMP NOT NULL
, "updates" VARCHAR(8) NOT NULL  /* INSTANT: instant\nDAILY: daily\nWEEKLY: weekly */ DEFAULT 'instant', "mute_routine" INT NOT NULL DEFAULT 0);
CREATE TABLE "waiting_list" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "guardian_id" INT NOT NULL REFERENCES "guardians" ("id") ON DELETE CASCADE,
    "pupil_id" INT NOT NULL REFERENCES "pupils" ("id") ON DELETE CASCADE,
    "round_id" INT NOT NULL REFERENCES "mentoring_rounds" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_waiting_lis_round_i_2de8b9" UNIQUE ("round_id", "pupil_id")
);
CREATE INDEX "idx_processed_u_process_ec0fe6" ON "processed_updates" ("processed_at");
CREATE INDEX "idx_audit_entri_pupil_i_6e9ab8" ON "audit_entries" ("pupil_id");
CREATE UNIQUE INDEX "uidx_staff_class_staff_i_5f73c6" ON "staff_classes" ("staff_id", "schoolclass_id");
CREATE INDEX "idx_assessments_recorde_777c33" ON "assessments" ("recorded_at");
CREATE INDEX "idx_assessments_pupil_i_08f48c" ON "assessments" ("pupil_id", "area", "recorded_at");
CREATE INDEX "idx_targets_pupil_i_4c7972" ON "targets" ("pupil_id", "status");
CREATE UNIQUE INDEX "uidx_meeting_tar_meeting_932058" ON "meeting_targets_reviewed" ("meeting_records_id", "target_id");
CREATE UNIQUE INDEX "uidx_meeting_tar_meeting_5cb8c9" ON "meeting_targets_set" ("meeting_records_id", "target_id");
CREATE UNIQUE INDEX "uid_bookings_holds_f_5ac045" ON "bookings" ("holds_family");
CREATE INDEX "idx_thread_mess_deliver_f71db2" ON "thread_messages" ("deliver_after");
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('tortoise_migrations',4);
INSERT INTO "sqlite_sequence" VALUES('notifications',0);
INSERT INTO "sqlite_sequence" VALUES('schools',1);
INSERT INTO "sqlite_sequence" VALUES('school_classes',1);
INSERT INTO "sqlite_sequence" VALUES('pupils',1);
INSERT INTO "sqlite_sequence" VALUES('guardians',1);
INSERT INTO "sqlite_sequence" VALUES('guardian_links',1);
INSERT INTO "sqlite_sequence" VALUES('staff',1);
INSERT INTO "sqlite_sequence" VALUES('mentoring_rounds',1);
INSERT INTO "sqlite_sequence" VALUES('slots',1);
INSERT INTO "sqlite_sequence" VALUES('bookings',1);
INSERT INTO "sqlite_sequence" VALUES('targets',1);
INSERT INTO "sqlite_sequence" VALUES('assessments',1);
COMMIT;
