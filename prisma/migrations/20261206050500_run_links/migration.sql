-- CreateTable
CREATE TABLE "RunLink" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RunLink_runId_idx" ON "RunLink"("runId");

-- CreateIndex
CREATE INDEX "RunLink_workspaceId_userId_idx" ON "RunLink"("workspaceId", "userId");

-- AddForeignKey
ALTER TABLE "RunLink" ADD CONSTRAINT "RunLink_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
