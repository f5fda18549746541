-- Entry script: minimal primes of the singular locus of V(I) by the Jacobian criterion.
-- Job: {"nvars": n, "characteristic": p, "polynomials": [generators of I in t_0..t_(n-1)],
--       "codim": c, "seed": s}; with "codim": 0 the polynomials already generate the
--       Jacobian ideal (I plus the minors) and only its minimal primes are computed.
-- Result: {"primes": [{"dim", "degree", "generators": [strings in t_i]}], "seconds": string}
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
job = readJob inFile;
setRandomSeed(job#"seed");
F = jobPolynomials(job, CoefficientRing => ZZ/(job#"characteristic"));
T = elapsedTiming (if job#"codim" == 0
    then apply(minimalPrimes ideal F, P -> (dim P, degree P, P))
    else singularPrimes(ideal F, job#"codim"));
writeResult(outFile, hashTable {
    "primes" => apply(T#1, t -> hashTable {
        "dim" => t#0, "degree" => t#1, "generators" => apply(flatten entries gens t#2, toString)}),
    "seconds" => toString(T#0)});
