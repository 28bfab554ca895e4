-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Poll" (
    "host" TEXT NOT NULL DEFAULT '',
    "id" INTEGER NOT NULL,
    "polledAt" TIMESTAMP(3) NOT NULL,
    "dockerReachable" BOOLEAN NOT NULL,
    "dockerLatencyMs" DOUBLE PRECISION,
    "dockerError" TEXT,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "intervalMs" INTEGER NOT NULL DEFAULT 5000,
    "checks" INTEGER NOT NULL,
    "diverged" INTEGER NOT NULL,
    "projects" INTEGER NOT NULL,
    "kindCounts" TEXT NOT NULL DEFAULT '{}',
    "seq" INTEGER NOT NULL,
    "cumChecks" INTEGER NOT NULL,
    "cumDiverged" INTEGER NOT NULL,
    "divergedAck" INTEGER NOT NULL DEFAULT 0,
    "cumDivergedAck" INTEGER NOT NULL DEFAULT 0,
    "cumKinds" TEXT NOT NULL DEFAULT '{}',
    "cumCoveredMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cumLatencyMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Poll_pkey" PRIMARY KEY ("host","id")
);

-- CreateTable
CREATE TABLE "FindingEpisode" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "project" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "openedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "detail" TEXT NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "FindingEpisode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckRun" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "project" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "diverged" BOOLEAN NOT NULL,
    "startSeq" INTEGER NOT NULL,
    "endSeq" INTEGER,

    CONSTRAINT "CheckRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Container" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "project" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "labels" TEXT NOT NULL,
    "labelIssues" TEXT NOT NULL DEFAULT '[]',
    "state" TEXT NOT NULL,
    "port" INTEGER,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "stoppedAt" TIMESTAMP(3),
    "removedAt" TIMESTAMP(3),
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Container_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Instance" (
    "instanceId" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "startedAt" TIMESTAMP(3) NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "via" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "replacedBy" TEXT,
    "endedAt" TIMESTAMP(3),
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Instance_pkey" PRIMARY KEY ("instanceId")
);

-- CreateTable
CREATE TABLE "Restart" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "instanceId" TEXT NOT NULL,
    "previousInstanceId" TEXT NOT NULL,
    "previousStartedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "recoveredAt" TIMESTAMP(3),
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Restart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReadEvent" (
    "id" SERIAL NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "ref" INTEGER,
    "instanceId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "project" TEXT NOT NULL,
    "servedBy" TEXT NOT NULL,
    "dockerOk" BOOLEAN NOT NULL,
    "latencyMs" DOUBLE PRECISION,
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ReadEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "name" TEXT NOT NULL,
    "agentId" INTEGER,
    "agentVersion" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "lastPollId" INTEGER NOT NULL,
    "lastPolledAt" TIMESTAMP(3) NOT NULL,
    "pollsStored" INTEGER NOT NULL DEFAULT 0,
    "firstPollId" INTEGER NOT NULL DEFAULT 0,
    "buffered" INTEGER NOT NULL DEFAULT 0,
    "dropped" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL,

    CONSTRAINT "Host_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AgentCursor" (
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "AgentCursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "pollId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("pollId")
);

-- CreateTable
CREATE TABLE "PhaseChange" (
    "id" SERIAL NOT NULL,
    "phase" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "setBy" TEXT NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "PhaseChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "phase" INTEGER NOT NULL,
    "window" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "evaluation" TEXT NOT NULL,
    "attendees" TEXT NOT NULL DEFAULT '[]',
    "notes" TEXT NOT NULL DEFAULT '',
    "decision" TEXT,
    "signOffs" TEXT NOT NULL DEFAULT '[]',
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "acceptAcknowledged" BOOLEAN NOT NULL DEFAULT false,
    "rationale" TEXT NOT NULL DEFAULT '',
    "actionItems" TEXT NOT NULL DEFAULT '[]',
    "followUp" TIMESTAMP(3),

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "fromAddr" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationChannel" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "alertKey" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Acknowledgement" (
    "id" SERIAL NOT NULL,
    "project" TEXT NOT NULL,
    "source" TEXT,
    "kind" TEXT,
    "value" TEXT,
    "reason" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endedBy" TEXT,

    CONSTRAINT "Acknowledgement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Poll_host_polledAt_idx" ON "Poll"("host", "polledAt");

-- CreateIndex
CREATE INDEX "FindingEpisode_host_project_openedAt_idx" ON "FindingEpisode"("host", "project", "openedAt");

-- CreateIndex
CREATE INDEX "FindingEpisode_closedAt_idx" ON "FindingEpisode"("closedAt");

-- CreateIndex
CREATE INDEX "FindingEpisode_kind_openedAt_idx" ON "FindingEpisode"("kind", "openedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FindingEpisode_host_ref_key" ON "FindingEpisode"("host", "ref");

-- CreateIndex
CREATE INDEX "CheckRun_host_project_startSeq_idx" ON "CheckRun"("host", "project", "startSeq");

-- CreateIndex
CREATE INDEX "CheckRun_endSeq_idx" ON "CheckRun"("endSeq");

-- CreateIndex
CREATE UNIQUE INDEX "CheckRun_host_ref_key" ON "CheckRun"("host", "ref");

-- CreateIndex
CREATE INDEX "Container_host_project_idx" ON "Container"("host", "project");

-- CreateIndex
CREATE INDEX "Container_firstSeenAt_idx" ON "Container"("firstSeenAt");

-- CreateIndex
CREATE INDEX "Restart_detectedAt_idx" ON "Restart"("detectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Restart_host_ref_key" ON "Restart"("host", "ref");

-- CreateIndex
CREATE INDEX "ReadEvent_at_idx" ON "ReadEvent"("at");

-- CreateIndex
CREATE INDEX "ReadEvent_instanceId_at_idx" ON "ReadEvent"("instanceId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ReadEvent_host_ref_key" ON "ReadEvent"("host", "ref");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_actor_idx" ON "AuditEntry"("actor");

-- CreateIndex
CREATE INDEX "NotificationDelivery_createdAt_idx" ON "NotificationDelivery"("createdAt");
