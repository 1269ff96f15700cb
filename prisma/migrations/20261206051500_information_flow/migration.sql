-- AlterTable
ALTER TABLE "Approval" ADD COLUMN     "flow" JSONB,
ADD COLUMN     "summary" TEXT;

-- AlterTable
ALTER TABLE "Artifact" ADD COLUMN     "label" JSONB;

-- AlterTable
ALTER TABLE "Memory" ADD COLUMN     "label" JSONB,
ADD COLUMN     "source" TEXT,
ADD COLUMN     "sourceRunId" TEXT;
