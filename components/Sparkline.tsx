"use client";
import dynamic from "next/dynamic";
import { SPARK_SIZE } from "@/lib/ui/charts";

// Recharts loads after the page has painted (a chunk of its own): until then an empty box of
// the sparkline's size holds its place, so nothing shifts.
export const Sparkline = dynamic(() => import("./SparklineChart").then((m) => m.SparklineChart), {
  ssr: false,
  loading: () => (
    <span className="sparkline" style={{ display: "inline-block", ...SPARK_SIZE }} aria-hidden="true" />
  ),
});
