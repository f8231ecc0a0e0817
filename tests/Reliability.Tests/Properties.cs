// One scenario at a time: the scenarios measure how long recovery takes and assert bounds on call durations, and two
// of them side by side on 2 shared cores would mostly measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
