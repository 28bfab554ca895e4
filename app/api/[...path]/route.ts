// Any other /api path, any method - a 404 in the error envelope (Next would answer its HTML
// not-found page, or "Server Action unavailable" as text for a POST)
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

const notFound = async () => errorResponse("not_found", "no such API route");

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
