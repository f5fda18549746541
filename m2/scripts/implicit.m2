-- Entry script: implicit equations of the image of (t_0..t_(n-1)) |-> (phi_1, ..., phi_s).
-- Job: {"nvars": n, "characteristic": 0 or p, "polynomials": [phi_i as strings],
--       "weights": [deg phi_i] or null (then ungraded)}
-- Result: {"generators": [strings in c_1..c_s], "seconds": string}
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
job = readJob inFile;
p = job#"characteristic";
F = jobPolynomials(job, CoefficientRing => if p == 0 then QQ else ZZ/p);
w = job#"weights";
T = elapsedTiming implicitIdeal(F, Weights => (if w === nil then null else w));
writeResult(outFile, hashTable {
    "generators" => apply(flatten entries mingens T#1, toString),
    "seconds" => toString(T#0)});
