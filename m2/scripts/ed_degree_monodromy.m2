-- Entry script (benchmark anchor): generic ED degree of a parametrized variety by the package
-- EuclideanDistanceDegree (random data and random diagonal weights), solving the critical
-- equations with MonodromySolver, as a user of the package would run it.
-- Job: {"nvars": d, "polynomials": [strings in t_0..t_(d-1)], a parametrization of a d-dimensional variety}
-- Result: {"degree": number of regular solutions found, "seconds": string}
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
needsPackage "EuclideanDistanceDegree";
(inFile, outFile) = jobFiles();
job = readJob inFile;
F = jobPolynomials(job, CoefficientRing => QQ);
T = elapsedTiming parameterizedGenericEDDegree(F, UseMonodromy => true);
writeResult(outFile, hashTable {"degree" => T#1, "seconds" => toString(T#0)});
