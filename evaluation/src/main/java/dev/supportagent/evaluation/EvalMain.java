package dev.supportagent.evaluation;

import dev.supportagent.evaluation.answers.AnswersSuite;
import dev.supportagent.evaluation.bench.IngestBench;
import dev.supportagent.evaluation.bench.ModelsBench;
import dev.supportagent.evaluation.bench.OutputGuardBench;
import dev.supportagent.evaluation.bench.RetrievalScaleBench;
import dev.supportagent.evaluation.bench.TemporalBench;
import dev.supportagent.evaluation.bench.TurnBench;
import dev.supportagent.evaluation.cache.CacheSuite;
import dev.supportagent.evaluation.canary.CanarySuite;
import dev.supportagent.evaluation.compare.CompareSuite;
import dev.supportagent.evaluation.pii.PiiSuite;
import dev.supportagent.evaluation.bench.InputGuardBench;
import dev.supportagent.evaluation.guard.EscalationDetection;
import dev.supportagent.evaluation.guard.GuardSuite;
import dev.supportagent.evaluation.guard.TrainGuard;
import dev.supportagent.evaluation.retrieval.RetrievalSuite;
import java.util.Arrays;
import java.util.Map;

/**
 * The evaluation command line. Prints one JSON object of metrics on stdout; exits 0 when it ran,
 * 2 on bad arguments or data, 1 when a gate fails or the run could not complete.
 */
public final class EvalMain {

  static final String USAGE =
      "usage: support-evaluation.jar SUBCOMMAND ...\n"
          + "  bench turn [--turns N] [--warmup N (100)] [--turns-per-conversation N] [--stream] [--timeline]\n"
          + "      runs turns against the running API (SUPPORT_API_URL, CUSTOMER_APP_KEY)\n"
          + "  bench temporal [--scenario NAME]... [--work realistic|none] [--updates 200] [--warmup 20]\n"
          + "        [--updates-per-workflow 20]\n"
          + "      Update latency of each workflow shape on the running Temporal server (TEMPORAL_ADDRESS), with\n"
          + "      workers in this process on fresh task queues; scenarios update, update-local-activity,\n"
          + "      update-activity-eager, update-activity-no-eager, update-activity-other-queue, turn-before,\n"
          + "      turn-local, turn-eager (default all)\n"
          + "  bench models --provider-port P [--first-token-ms 300] [--turns N] [--gateway-calls N]\n"
          + "      [--fault-turns N] [--fail-rate 0.5] [--seed N]\n"
          + "      serves a fake model provider on P, to which the running worker's model tiers point;\n"
          + "      first token through the API, the gateway's overhead (SUPPORT_REDIS_URL), answers under faults\n"
          + "  bench retrieval [--sizes 1000,10000,100000] [--corpus DIR] [--questions FILE]\n"
          + "      kNN latency and recall@10 against exact search at each index size (SUPPORT_ES_URL)\n"
          + "  bench ingest [--sizes 1000,10000,100000] [--embed-limit 10000] [--corpus DIR]\n"
          + "      ingestion throughput and peak memory against embedding alone at each index size (SUPPORT_ES_URL)\n"
          + "  bench output-guard [--replies 2000] [--warmup 500] [--corpus DIR] [--embedding-sample 200]\n"
          + "      output guard chain latency per reply over replies built from the corpus's passages (nothing running)\n"
          + "  retrieval --corpus DIR --questions FILE [--mode knn|bm25|hybrid|hybrid-context]...\n"
          + "      ingests the corpus into its own index (SUPPORT_ES_URL), ranks documents per question\n"
          + "  cache [--pairs FILE] [--from 0.80] [--to 0.99] [--step 0.005] [--max-wrong 0.01] [--folds 5]\n"
          + "        [--seed N] [--margin 0.02] [--bound 10000] [--errors FILE]\n"
          + "      the answer cache's similarity threshold on labelled question pairs (built-in set by default),\n"
          + "      cross-validated, and the scan time at the cache's size bound; needs no server\n"
          + "  cache --threshold T|default [--pairs FILE] [--max-wrong 0.01] [--errors FILE]\n"
          + "      one fixed threshold (default: the deployed one) on the pairs, nothing chosen;\n"
          + "      exit 1 when wrong hits exceed --max-wrong of hits\n"
          + "  pii --dataset FILE [--misses N] [--types T,...] [--phone-regions US,...] [--phone-leniency VALID|POSSIBLE]\n"
          + "      [--phone-cue-regions R,...|none]\n"
          + "      exact-span precision, recall and F1 per type and micro of the PII detector; N errors per type on stderr\n"
          + "  bench input-guard [--dataset FILE] [--messages N] [--warmup N] [--passes 5]\n"
          + "      the whole input chain per message, embedding included (p50, p95)\n"
          + "  guard --dataset FILE [--dataset FILE]... [--train FILE]... [--folds K] [--classifier FILE] [--misses N]\n"
          + "      the input guard on {id, text, label, source}: leave-one-source-out, K-fold cross-validation (5)\n"
          + "      and the shipped classifiers; --train rows only train (a held-out split scored by the tune split)\n"
          + "  train-guard --dataset FILE [--dataset FILE]... [--out FILE] [--harmful-out FILE] [--licence SOURCE=TEXT]...\n"
          + "      trains the injection and harmful classifiers and writes their weights and provenance\n"
          + "  escalation --questions FILE [--misses N]\n"
          + "      the input guard's hand-over to a person on the escalate rows, and by mistake on the answer rows\n"
          + "  answers --corpus DIR --questions FILE [--out DIR] [--concurrency 2] [--no-ingest] [--restore DIR]\n"
          + "          [--seed 42] [--resamples 1000] [--limit N]\n"
          + "      makes the corpus the running stack's knowledge base (ADMIN_KEY), asks each question through the API\n"
          + "      (SUPPORT_API_URL, CUSTOMER_APP_KEY) after its history, scores the replies; writes metrics.json,\n"
          + "      rows.jsonl, report.md and report.html to --out (target/answers-TIMESTAMP); --restore DIR ingests DIR after;\n"
          + "      repeat --corpus DIR --questions FILE for several corpora: each under by_corpus, their mean under mean\n"
          + "  answers --in-process --corpus DIR --questions FILE [--corpus DIR --questions FILE]... [--out DIR]\n"
          + "          [--offline-weights name=value,...]...\n"
          + "      each corpus in an index of its own (SUPPORT_ES_URL), the turn run in this process (guard, retrieval,\n"
          + "      answerer, output filter); the offline answerer and the naive baseline side by side under answerers\n"
          + "  compare --baseline A --candidate B [--max-drop METRIC=0.02|METRIC=10%]... [--gate default,METRIC,...]\n"
          + "          [--seed 42] [--resamples 2000]\n"
          + "      A and B are answers metrics.json files or output folders; paired differences when both have rows.jsonl\n"
          + "      of the same questions; exit 1 when a gated metric is worse beyond its allowed drop\n"
          + "  canary --baseline ARM --candidate ARM [--by prompt|model] [--since 7d] [--min-turns 100] [--min-rated 20]\n"
          + "         [--max-negative-feedback 0.05] [--max-escalation 0.02] [--max-guard-trips 0.02]\n"
          + "         [--max-cost-increase 0.20] [--max-grounding-drop 0.05] [--apply ENV_FILE]\n"
          + "      reads the turn log (SUPPORT_ES_URL, SUPPORT_TURN_LOG_ALIAS) for two arms of an A/B split and recommends\n"
          + "      promote, rollback (exit 1) or wait; --apply writes SUPPORT_PROMPT_VERSIONS to the worker's settings file";

  private EvalMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  public static int run(String[] args, Map<String, String> env) {
    if (args.length == 0) {
      System.err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "bench":
          String[] options = rest.length == 0 ? rest : Arrays.copyOfRange(rest, 1, rest.length);
          if (rest.length > 0 && rest[0].equals("turn")) {
            System.out.println(TurnBench.fromArgs(options, env).run());
          } else if (rest.length > 0 && rest[0].equals("temporal")) {
            System.out.println(TemporalBench.fromArgs(options, env).run());
          } else if (rest.length > 0 && rest[0].equals("models")) {
            System.out.println(ModelsBench.fromArgs(options, env).run());
          } else if (rest.length > 0 && rest[0].equals("retrieval")) {
            System.out.println(RetrievalScaleBench.fromArgs(options, env).run());
          } else if (rest.length > 0 && rest[0].equals("ingest")) {
            System.out.println(IngestBench.fromArgs(options, env).run());
          } else if (rest.length > 0 && rest[0].equals("output-guard")) {
            System.out.println(OutputGuardBench.fromArgs(options, env).run());
          } else if (rest.length > 0 && rest[0].equals("input-guard")) {
            System.out.println(InputGuardBench.fromArgs(options, env).run());
          } else {
            throw new UsageException("bench needs a suite: turn, temporal, retrieval, ingest, models, input-guard or output-guard");
          }
          return 0;
        case "answers":
          System.out.println(AnswersSuite.fromArgs(rest, env).run());
          return 0;
        case "compare":
          var comparison = CompareSuite.fromArgs(rest).run();
          System.out.println(comparison);
          if (!comparison.path("regressions").isEmpty()) {
            System.err.println("regressed: " + comparison.path("regressions"));
            return 1;
          }
          return 0;
        case "retrieval":
          System.out.println(RetrievalSuite.fromArgs(rest, env).run());
          return 0;
        case "cache":
          var cache = CacheSuite.fromArgs(rest).run();
          System.out.println(cache);
          if (!cache.path("goal_met").asBoolean()) {
            System.err.println(
                cache.has("threshold")
                    ? "wrong hits at threshold " + cache.path("threshold") + " exceed the goal"
                    : "no threshold keeps wrong hits at or below the goal");
            return 1;
          }
          return 0;
        case "pii":
          System.out.println(PiiSuite.fromArgs(rest, env).run());
          return 0;
        case "guard":
          System.out.println(GuardSuite.fromArgs(rest, env).run());
          return 0;
        case "escalation":
          System.out.println(EscalationDetection.fromArgs(rest, env).run());
          return 0;
        case "canary":
          var canary = CanarySuite.fromArgs(rest, env).run();
          System.out.println(canary);
          if (CanarySuite.failed(canary)) {
            System.err.println("canary: roll back (" + String.join("; ", canary.findValuesAsText("reasons")) + ")");
            return 1;
          }
          return 0;
        case "train-guard":
          System.out.println(TrainGuard.fromArgs(rest, env).run());
          return 0;
        default:
          throw new UsageException("unknown subcommand: " + args[0]);
      }
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      return 2;
    } catch (Exception e) {
      System.err.println("evaluation failed: " + e.getMessage());
      return 1;
    }
  }

  /** Bad arguments or data: exit code 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}
