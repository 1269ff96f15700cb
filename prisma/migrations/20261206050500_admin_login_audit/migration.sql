-- CreateTable
CREATE TABLE "AdminLoginAudit" (
    "id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminLoginAudit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdminLoginAudit_createdAt_idx" ON "AdminLoginAudit"("createdAt");
