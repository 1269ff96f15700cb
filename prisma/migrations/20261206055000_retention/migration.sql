-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "prunedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "runRetentionDays" INTEGER;

-- CreateIndex
CREATE INDEX "SlackEvent_receivedAt_idx" ON "SlackEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "Run_prunedAt_endedAt_idx" ON "Run"("prunedAt", "endedAt");
