import { Overview } from "@/components/Overview";

export default function Page() {
  return <Overview />;
}
